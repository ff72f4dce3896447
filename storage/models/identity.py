"""Users and their bearer tokens."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import Base, IdMixin
from storage.models.enums import Language, Secrecy, TokenKind, UserStatus

if TYPE_CHECKING:
    from storage.models.access import Department


class User(IdMixin, Base):
    """A person who signs in to Dangan."""

    __tablename__ = "user_account"

    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))  # where notifications are sent
    password_hash: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16), default=UserStatus.active)
    department_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("department.id"))
    clearance: Mapped[str] = mapped_column(String(16), default=Secrecy.internal)
    language: Mapped[str] = mapped_column(String(8), default=Language.zh, server_default="zh")

    tokens: Mapped[list[AuthToken]] = relationship(back_populates="user")
    # Its name goes into every audit event of the user, as it reads at the time.
    department: Mapped[Department | None] = relationship()

    def custody_problem(self, department_id: uuid.UUID, secrecy: str) -> str | None:
        """Why this user cannot keep a customer file of that department and secrecy, if so.

        A custodian who may not know the file exists is no custodian at all.
        """
        if self.status != UserStatus.active:
            return "not an active user"
        if self.department_id != department_id:
            return "not in the customer's department"
        if Secrecy(secrecy).rank > Secrecy(self.clearance).rank:
            return "not cleared for the customer's secrecy"
        return None


class AuthToken(IdMixin, Base):
    """A bearer token; only its SHA-256 is stored, so a leaked table grants nothing."""

    __tablename__ = "auth_token"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16), default=TokenKind.session)
    name: Mapped[str | None] = mapped_column(String(100))
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    # Where it was issued to, so its owner can tell their sign-ins apart (shown to them only).
    address: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(200))

    user: Mapped[User] = relationship(back_populates="tokens")
