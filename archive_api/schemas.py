"""Response shapes that belong to the HTTP API itself."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import BaseModel, Field

T = TypeVar("T")
# The largest list offset accepted: a bigger one overflows the databases' integers (a 500).
MAX_OFFSET = 2**31 - 1


class Page(BaseModel, Generic[T]):
    """One page of a list, with the number of all matches."""

    items: list[T]
    total: int
    limit: int
    offset: int


class TokenRead(BaseModel):
    """A bearer token, shown once."""

    access_token: str
    token_type: str = "bearer"  # noqa: S105 - the OAuth2 token type, not a secret
    expires_in: int


class ErrorRead(BaseModel):
    """Every error: a stable code for programs (and the web UI to translate), a text for people."""

    error: str
    detail: str
    reason: str | None = Field(
        default=None, description="The particular case within `error`, stable like it"
    )


def _error(description: str) -> dict[str, Any]:
    return {"model": ErrorRead, "description": description}


# The refusals any operation may give; the one renderer (archive_api/errors.py) shapes them all.
ERRORS: dict[int | str, dict[str, Any]] = {
    400: _error("the body could not be read"),
    401: _error("not signed in, or the token is expired or revoked"),
    403: _error("refused by the access rules"),
    404: _error("no such object, or one the caller may not know exists"),
    409: _error("clashes with what is stored"),
    422: _error("a field is invalid"),
    429: _error("too many failed sign-ins; try again later"),
    503: _error("a backend (database, object store, key service) is unavailable"),
}
# Refusals of a file sent in (on top of ERRORS).
UPLOAD_ERRORS: dict[int | str, dict[str, Any]] = {
    413: _error("the file is larger than the archive accepts"),
    415: _error("not a PDF, JPEG, PNG, TIFF or WebP file (judged by content)"),
}


def follow(status: int, *targets: tuple[str, str, str]) -> dict[int | str, dict[str, Any]]:
    """OpenAPI links from the object a response made to operations on it, by its `id`."""
    # A target is (link name, method, path under /api/v1 with the id parameter last in it).
    links = {}
    for name, method, path in targets:
        full = "/api/v1" + path
        param = full[full.rindex("{") + 1 : full.rindex("}")]
        pointer = full.replace("~", "~0").replace("/", "~1")
        links[name] = {
            "operationRef": f"#/paths/{pointer}/{method.lower()}",
            "parameters": {param: "$response.body#/id"},
        }
    return {status: {"links": links}}
