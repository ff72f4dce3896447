"""ORM models: the only place tables are declared."""

from storage.models.access import CasbinRule, Department, LoginFailure, PolicyRevision
from storage.models.archive import Customer, Document, DocumentVersion
from storage.models.audit import AuditCheckpoint, AuditEvent, AuditPending
from storage.models.base import Base
from storage.models.enums import DocType, Secrecy, TokenKind, UserStatus
from storage.models.identity import AuthToken, User

__all__ = [
    "AuditCheckpoint",
    "AuditEvent",
    "AuditPending",
    "AuthToken",
    "Base",
    "CasbinRule",
    "Customer",
    "Department",
    "DocType",
    "Document",
    "DocumentVersion",
    "LoginFailure",
    "PolicyRevision",
    "Secrecy",
    "TokenKind",
    "User",
    "UserStatus",
]
