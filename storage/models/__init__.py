"""ORM models: the only place tables are declared."""

from storage.models.access import CasbinRule, Department, LoginFailure, PolicyRevision
from storage.models.archive import Customer, CustomerChange, Document, DocumentVersion
from storage.models.audit import AuditCheckpoint, AuditEvent, AuditPending, AuditQuarantine
from storage.models.base import Base
from storage.models.borrowing import (
    Borrowing,
    BorrowingApproval,
    BorrowingDocument,
    Notification,
)
from storage.models.contract import Contract, ContractChange, ContractCounter
from storage.models.credit import Extraction, Rating, Statement, StatementFigure
from storage.models.enums import (
    BorrowingStatus,
    BorrowMode,
    Capacity,
    Channel,
    ContractKind,
    ContractStatus,
    CustomerStatus,
    Direction,
    DocType,
    ExtractionStatus,
    HandoverStatus,
    Language,
    Secrecy,
    StatementStatus,
    TokenKind,
    TransactionKind,
    UserStatus,
)
from storage.models.handover import Handover, HandoverConfirmation, Incident
from storage.models.identity import AuthToken, User
from storage.models.payments import PaymentImport, Transaction
from storage.models.retention import Disposal, DisposalApproval, DisposalItem, LegalHold
from storage.models.search import DocumentText
from storage.models.secrecy import SecrecyProposal
from storage.models.upkeep import Deadline

__all__ = [
    "AuditCheckpoint",
    "AuditEvent",
    "AuditPending",
    "AuditQuarantine",
    "AuthToken",
    "Base",
    "BorrowMode",
    "Borrowing",
    "BorrowingApproval",
    "BorrowingDocument",
    "BorrowingStatus",
    "Capacity",
    "CasbinRule",
    "Channel",
    "Contract",
    "ContractChange",
    "ContractCounter",
    "ContractKind",
    "ContractStatus",
    "Customer",
    "CustomerChange",
    "CustomerStatus",
    "Deadline",
    "Department",
    "Direction",
    "Disposal",
    "DisposalApproval",
    "DisposalItem",
    "DocType",
    "Document",
    "DocumentText",
    "DocumentVersion",
    "Extraction",
    "ExtractionStatus",
    "Handover",
    "HandoverConfirmation",
    "HandoverStatus",
    "Incident",
    "Language",
    "LegalHold",
    "LoginFailure",
    "Notification",
    "PaymentImport",
    "PolicyRevision",
    "Rating",
    "Secrecy",
    "SecrecyProposal",
    "Statement",
    "StatementFigure",
    "StatementStatus",
    "TokenKind",
    "Transaction",
    "TransactionKind",
    "User",
    "UserStatus",
]
