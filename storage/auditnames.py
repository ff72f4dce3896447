"""The audit vocabulary: every action the audit log records, in one enumeration."""

from __future__ import annotations

from enum import StrEnum


class Action(StrEnum):
    """Every action the audit log records, as `source:subject:action`."""

    # Sign-in and one's own account (linters read "password" and "token" as secrets: names).
    LOGIN = "auth:login:password"
    PASSWORD_CHANGE = "auth:password:change"  # noqa: S105  # nosec B105
    ME_UPDATE = "auth:me:update"
    SESSION_CLOSE = "auth:session:close"
    TOKEN_CREATE = "auth:token:create"  # noqa: S105  # nosec B105
    TOKEN_REVOKE = "auth:token:revoke"  # noqa: S105  # nosec B105
    # Administration of people and the policy.
    ADMIN_MANAGE = "admin:policy:manage"
    DEPARTMENT_CREATE = "admin:department:create"
    USER_CREATE = "admin:user:create"
    USER_UPDATE = "admin:user:update"
    ROLE_GRANT = "admin:role:grant"
    ROLE_REVOKE = "admin:role:revoke"
    POLICY_ADD = "admin:policy:add"
    POLICY_DELETE = "admin:policy:delete"
    # Customer files.
    CUSTOMER_READ = "customer:file:read"
    CUSTOMER_SEARCH = "customer:file:search"
    CUSTOMER_CREATE = "customer:file:create"
    CUSTOMER_UPDATE = "customer:file:update"
    CUSTOMER_STATUS = "customer:status:change"
    CUSTOMER_HISTORY = "customer:history:read"
    CUSTODIAN_REASSIGN = "customer:custodian:reassign"
    CUSTOMER_EXPORT = "customer:file:export"
    CUSTODIAN_SEARCH = "customer:custodian:search"
    COMPLETENESS_READ = "customer:completeness:read"
    INCOMPLETE_EXPORT = "customer:incomplete:export"
    DEADLINE_READ = "customer:deadline:read"
    DEADLINE_SEARCH = "customer:deadline:search"
    DEADLINE_RAISE = "customer:deadline:raise"
    DEADLINE_RESOLVE = "customer:deadline:resolve"
    # The contract ledger.
    CONTRACT_CREATE = "contract:record:create"
    CONTRACT_READ = "contract:record:read"
    CONTRACT_UPDATE = "contract:record:update"
    CONTRACT_SEARCH = "contract:record:search"
    CONTRACT_LINK = "contract:document:link"
    CONTRACT_REPORT = "contract:statistics:export"
    # Documents.
    DOCUMENT_READ = "document:metadata:read"
    DOCUMENT_SEARCH = "document:metadata:search"
    EXTRACTION_STATE_SEARCH = "document:extraction:search"
    SEARCH = "search:archive:query"
    DOCUMENT_UPLOAD = "document:file:upload"
    VERSION_UPLOAD = "document:version:upload"
    CONTENT_READ = "document:content:read"
    PAGE_READ = "document:page:read"
    SECRECY_CHANGE = "document:secrecy:change"
    ORIGINAL_FILE = "document:original:file"
    DOCUMENT_FILE = "document:file:accept"
    # Borrowing.
    BORROWING_REQUEST = "borrowing:request:create"
    BORROWING_TERMS = "borrowing:terms:read"
    BORROWING_READ = "borrowing:request:read"
    BORROWING_SEARCH = "borrowing:request:search"
    BORROWING_APPROVE = "borrowing:request:approve"
    BORROWING_REJECT = "borrowing:request:reject"
    EXTENSION_REQUEST = "borrowing:extension:request"
    EXTENSION_APPROVE = "borrowing:extension:approve"
    EXTENSION_REJECT = "borrowing:extension:reject"
    HAND_OUT = "borrowing:original:hand_out"
    RETURN = "borrowing:file:return"
    REVOKE = "borrowing:grant:revoke"
    MISSING = "borrowing:original:missing"
    REGISTER_MANAGE = "borrowing:register:manage"
    REGISTER_EXPORT = "borrowing:register:export"
    INCIDENT_READ = "incident:original:read"
    INCIDENT_RESOLVE = "incident:original:resolve"
    # Handover.
    HANDOVER_OPEN = "handover:record:open"
    HANDOVER_READ = "handover:record:read"
    HANDOVER_SEARCH = "handover:record:search"
    HANDOVER_PEOPLE = "handover:candidate:search"
    HANDOVER_CONFIRM = "handover:record:confirm"
    HANDOVER_CANCEL = "handover:record:cancel"
    HANDOVER_PRINT = "handover:record:print"
    HANDOVER_COMPLETE = "handover:record:complete"
    # Credit.
    PROFILE_READ = "credit:profile:read"
    STATEMENT_REVIEW = "credit:statement:review"
    STATEMENT_SEARCH = "credit:statement:search"
    EXTRACTION_SEARCH = "credit:extraction:search"
    FIGURE_CORRECT = "credit:figure:correct"
    RATING_CREATE = "credit:rating:create"
    RATING_SEARCH = "credit:rating:search"
    ORDER_CHECK = "credit:order:check"
    WARNING_SEARCH = "credit:warning:search"
    # Retention: legal holds and the disposal list.
    HOLD_SET = "retention:hold:set"
    HOLD_LIFT = "retention:hold:lift"
    HOLD_SEARCH = "retention:hold:search"
    DISPOSAL_LIST = "retention:disposal:list"
    # The audit log and the archive itself.
    AUDIT_READ = "audit:events:read"
    AUDIT_EXPORT = "audit:bundle:export"
    QUARANTINE_READ = "audit:quarantine:read"
    QUARANTINED = "audit:event:quarantined"
    BACKUP_CREATE = "archive:backup:create"
    BACKUP_RESTORE = "archive:backup:restore"
    KEYS_ROTATE = "archive:keys:rotate"
    KEYS_REWRAP = "archive:keys:rewrap"
    # A refusal that names no action of its own (a request refused before any door).
    REQUEST_REFUSED = "http:request:refused"
