"""Customer categories, and the documents each must hold, as configuration: loaded from a TOML
file and checked at start."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ingest.completeness_schemas import Requirement
from ingest.customer_schemas import Category
from ingest.errors import InvalidField
from ingest.method_schemas import POLICY_FILE

DEFAULT_CATEGORIES = Path(__file__).parent / "policy" / "customers.toml"


class InvalidCategories(ValueError):
    """The categories file cannot be used; the message names the file and the problem."""


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid")

    category: list[Category] = Field(min_length=1)
    requirement: list[Requirement] = Field(default_factory=list)

    @field_validator("category")
    @classmethod
    def _codes(cls, found: list[Category]) -> list[Category]:
        codes = [c.code for c in found]
        if len(set(codes)) != len(codes):
            raise ValueError("a category code is given twice")
        if not all(c.replace("_", "").replace("-", "").isalnum() and c.isascii() for c in codes):
            raise ValueError("a code holds only letters, digits, _ and -")
        return found

    @model_validator(mode="after")
    def _requirements(self) -> _File:
        codes = {c.code for c in self.category}
        seen: set[str] = set()
        for number, wanted in enumerate(self.requirement, 1):
            where = f"requirement {number} ({wanted.doc_type.value})"
            if wanted.doc_type in seen:
                # Two would leave it open which validity counts: one per type, for all it covers.
                raise ValueError(f"{where}: the type is required twice; give one requirement")
            seen.add(wanted.doc_type)
            unknown = sorted(set(wanted.categories or ()) - codes)
            if unknown:
                known = ", ".join(sorted(codes))
                raise ValueError(f"{where}: no category {', '.join(unknown)} (one of {known})")
        return self


@dataclass(frozen=True)
class Categories:
    """The categories a customer may be given, in the order offered, and what each file must
    hold."""

    offered: tuple[Category, ...]
    requirements: tuple[Requirement, ...] = ()

    def check(self, code: str | None) -> None:
        """Refuse (422, naming `category`) a code that is not configured; None is no category."""
        if code is not None and code not in {c.code for c in self.offered}:
            known = ", ".join(c.code for c in self.offered)
            raise InvalidField(f"category: not a configured category (one of {known})")


def load_categories(path: Path | None) -> Categories:
    """Read and check a categories file (the shipped one when `path` is None)."""
    source = path or DEFAULT_CATEGORIES
    try:
        data = tomllib.loads(source.read_text(encoding="utf-8"))
        parsed = _File.model_validate(data, context=POLICY_FILE)
    except (OSError, tomllib.TOMLDecodeError, ValidationError) as error:
        raise InvalidCategories(f"customer categories {source}: {error}") from error
    return Categories(tuple(parsed.category), tuple(parsed.requirement))
