"""Departments, authorization rules and sign-in throttling."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, IdMixin, utcnow


class Department(IdMixin, Base):
    """A department: the scope (Casbin domain) that customers and role assignments belong to."""

    __tablename__ = "department"

    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)


class CasbinRule(Base):
    """One Casbin policy line (`p` rule or `g` role assignment), in the adapter's table shape."""

    __tablename__ = "casbin_rule"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    ptype: Mapped[str] = mapped_column(String(8))
    v0: Mapped[str | None] = mapped_column(String(255))
    v1: Mapped[str | None] = mapped_column(String(255))
    v2: Mapped[str | None] = mapped_column(String(255))
    v3: Mapped[str | None] = mapped_column(String(255))
    v4: Mapped[str | None] = mapped_column(String(255))
    v5: Mapped[str | None] = mapped_column(String(255))

    def values(self) -> list[str]:
        """The rule's fields up to the first empty one."""
        found = []
        for value in (self.v0, self.v1, self.v2, self.v3, self.v4, self.v5):
            if value is None:
                break
            found.append(value)
        return found

    def __str__(self) -> str:
        # The policy line, as casbin_sqlalchemy_adapter loads it.
        return ", ".join([self.ptype, *self.values()])


class PolicyRevision(Base):
    """A counter bumped with every policy change, so every worker knows when to reload."""

    __tablename__ = "policy_revision"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    revision: Mapped[int] = mapped_column(Integer, default=0)


class LoginFailure(IdMixin, Base):
    """A failed sign-in, counted per user name and per address to throttle guessing."""

    __tablename__ = "login_failure"

    username: Mapped[str] = mapped_column(String(64), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
