"""Response shapes that belong to the HTTP API itself."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel

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
