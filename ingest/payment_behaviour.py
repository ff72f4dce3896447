"""A customer's payment behaviour (000 动态行为信息) as of a day, from the transactions the ERP
and finance systems delivered, and the early warnings it raises.

Definitions (all in yuan, counting only what is dated on or before the day):
- an invoice is owed from its date until its `paid_date` (settled in full); a payment, credit
  note or write-off naming the invoice (`applies_to`: of its own source, else the one invoice of
  any source with that number) settles that invoice only, what goes beyond it is not carried
  over; one naming no known invoice settles the invoices on account, the earliest due first;
- exposure: what the open invoices still owe;
- overdue ageing: the open amounts past their due day, by days past due (1-30, 31-60, 61-90,
  over 90); the longest overdue: the most days past due of an open invoice (0 when none);
- days sales outstanding (DSO): exposure / invoiced in the last 90 days × 90, none without sales
  in those days;
- bad debts: written off in the twelve months up to the day;
- orders for a rating's credit limit, when the rater enters none: invoiced within the policy's
  order window up to the day (DOMAIN.md: last quarter's order volume).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal
from typing import Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ingest.credit import rounded
from ingest.credit_schemas import WarningRules
from ingest.credit_terms import YUAN, add_months
from ingest.payment_schemas import AgeingBucket, PaymentBehaviour
from ingest.rating_schemas import CreditWarning, RatingCreate
from storage.models import Rating, Transaction, TransactionKind

SALES_DAYS = 90
BUCKETS = ((1, 30), (31, 60), (61, 90), (91, None))
ZERO = Decimal("0.00")


def transactions_of(session: Session, customer_id: uuid.UUID, today: date) -> list[Transaction]:
    """The customer's transactions dated up to `today`."""
    query = select(Transaction).where(
        Transaction.customer_id == customer_id, Transaction.dated <= today
    )
    return list(session.scalars(query.order_by(Transaction.dated, Transaction.number)))


def invoiced(session: Session, customer_id: uuid.UUID, first: date, last: date) -> Decimal | None:
    """What was invoiced to the customer from `first` to `last`, as the ERP delivered it (the
    orders of the period); None for a customer of whom no transaction was ever delivered."""
    delivered = select(Transaction.id).where(Transaction.customer_id == customer_id).limit(1)
    if session.scalar(delivered) is None:
        return None
    total = select(func.coalesce(func.sum(Transaction.amount), 0)).where(
        Transaction.customer_id == customer_id,
        Transaction.kind == TransactionKind.invoice,
        Transaction.dated >= first,
        Transaction.dated <= last,
    )
    return rounded(Decimal(session.scalar(total) or 0), YUAN)


def order_volume(
    session: Session, window_days: int, customer_id: uuid.UUID, today: date,
    entered: RatingCreate | None,
) -> tuple[Decimal | None, date | None, Literal["entered", "erp"]]:  # fmt: skip
    """The order volume the limit is drawn from, the day it runs to, and where it came from:
    as entered, else invoiced in the policy's window up to today as the ERP delivered it."""
    if entered is not None and entered.order_volume is not None:
        return entered.order_volume, entered.orders_through, "entered"
    first = today - timedelta(days=window_days - 1)
    volume = invoiced(session, customer_id, first, today)
    if volume is None:  # no ERP data for the customer: nothing to draw a limit from
        return None, entered.orders_through if entered else None, "entered"
    return volume, today, "erp"


def open_amounts(rows: Iterable[Transaction], today: date) -> list[tuple[Transaction, Decimal]]:
    """Each invoice with what it still owes on `today` (settlements as the module says)."""
    rows = list(rows)
    invoices = {(r.source, r.number): r for r in rows if r.kind == TransactionKind.invoice}
    owed = {
        key: ZERO if r.paid_on is not None and r.paid_on <= today else r.amount
        for key, r in invoices.items()
    }
    numbered: dict[str, list[tuple[str, str]]] = {}
    for key in invoices:
        numbered.setdefault(key[1], []).append(key)
    on_account = ZERO
    for row in rows:
        if row.kind == TransactionKind.invoice:
            continue
        key = (row.source, row.applies_to or "")
        if key not in owed and len(numbered.get(key[1], [])) == 1:
            key = numbered[key[1]][0]  # the finance system's receipt of the ERP's invoice
        if key in owed:
            owed[key] = max(ZERO, owed[key] - row.amount)
        else:
            on_account += row.amount
    by_due = sorted(invoices, key=lambda k: (invoices[k].due_on or today, k))
    for key in by_due:
        taken = min(owed[key], on_account)
        owed[key] -= taken
        on_account -= taken
    return [(invoices[key], owed[key]) for key in by_due]


def behaviour(
    session: Session,
    customer_id: uuid.UUID,
    today: date,
    rules: WarningRules,
    last: Rating | None,
) -> PaymentBehaviour | None:
    """The customer's payment behaviour on `today` and its warnings; none without transactions
    (`last`: the latest rating the reader may see, whose allowed credit bounds the exposure)."""
    rows = transactions_of(session, customer_id, today)
    if not rows:
        return None
    buckets = dict.fromkeys(BUCKETS, ZERO)
    exposure, longest = ZERO, 0
    for invoice, owed in open_amounts(rows, today):
        exposure += owed
        late = (today - (invoice.due_on or today)).days
        if owed == ZERO or late <= 0:
            continue
        longest = max(longest, late)
        bounds = next(b for b in BUCKETS if b[1] is None or late <= b[1])
        buckets[bounds] += owed
    since = today - timedelta(days=SALES_DAYS)
    sales = sum(
        (r.amount for r in rows if r.kind == TransactionKind.invoice and r.dated > since), ZERO
    )
    year_ago = add_months(today, -12)
    bad = sum(
        (r.amount for r in rows if r.kind == TransactionKind.write_off and r.dated > year_ago), ZERO
    )
    found = PaymentBehaviour(
        as_of=today,
        exposure=exposure,
        overdue=sum(buckets.values(), ZERO),
        ageing=[AgeingBucket(from_days=a, to_days=b, amount=v) for (a, b), v in buckets.items()],
        longest_overdue_days=longest,
        sales_90_days=sales,
        dso_days=rounded(exposure / sales * SALES_DAYS, 1) if sales else None,
        bad_debts_12_months=bad,
        transactions=len(rows),
        warnings=[],
    )
    found.warnings = payment_warnings(found, rules, last)
    return found


def payment_warnings(
    found: PaymentBehaviour, rules: WarningRules, last: Rating | None
) -> list[CreditWarning]:
    """Payment delays beyond the policy's days (002 §4), and an exposure above the allowed
    credit (赊销额度) of the latest rating."""
    warnings = []
    days = rules.payment_delay_days
    if found.longest_overdue_days > days:
        warnings.append(
            CreditWarning(
                code="payment_delay",
                message_zh=f"付款逾期 {found.longest_overdue_days} 天，超过 {days} 天",
                message_en=f"A payment is {found.longest_overdue_days} days overdue, more than"
                f" {days}",
                figures={
                    "longest_overdue_days": Decimal(found.longest_overdue_days),
                    "overdue": found.overdue,
                    "payment_delay_days": Decimal(days),
                },
            )
        )
    allowed = last.allowed_credit if last is not None else None
    if allowed is not None and found.exposure > allowed:
        assert last is not None  # allowed came from it; a type hint  # nosec B101
        warnings.append(
            CreditWarning(
                code="exposure_above_limit",
                message_zh=f"应收账款 {found.exposure} 元超过最近评级核定的赊销额度 {allowed} 元",
                message_en=f"Receivables of {found.exposure} yuan exceed the allowed credit of"
                f" {allowed} yuan of the latest rating",
                figures={
                    "exposure": found.exposure,
                    "allowed_credit": allowed,
                    "excess": found.exposure - allowed,
                    "rated_on": last.rated_on,
                },
            )
        )
    return warnings
