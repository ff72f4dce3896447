"""The hand-over deadlines of contracts (003 篇2 §3): the contract's file reaches the credit
(contract) manager within a month of its signing, change or termination, and the archive within
a further month of that.

Invariants: a deadline is read off the contract's own dates only (its signing, its hand-over
dates), so the ledger and the daily round never disagree; an amendment or a termination is a
contract of its own and has its own; a draft or cancelled contract has none.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ingest.contract_schemas import Handover
from ingest.credit_terms import add_months
from ingest.deadlines import AHEAD, Due
from storage.models import Contract, ContractStatus, Customer, CustomerStatus

# Signed in some form: a draft has no signing yet, a cancelled one was never made.
SIGNED = {
    ContractStatus.signed,
    ContractStatus.performing,
    ContractStatus.completed,
    ContractStatus.terminated,
}
KINDS = {"to_credit": "contract_to_credit", "to_archive": "contract_to_archive"}
WITHIN = 1  # month, for each step


def handovers(contract: Contract, today: date) -> list[Handover]:
    """The contract's two hand-overs as of `today`: when each is due, done, or overdue."""
    if contract.status not in SIGNED or contract.signed_on is None:
        return []
    to_credit = add_months(contract.signed_on, WITHIN)
    credit_on, archive_on = contract.handed_to_credit_on, contract.handed_to_archive_on
    to_archive = add_months(credit_on, WITHIN) if credit_on else None
    return [
        Handover(
            step="to_credit", due_on=to_credit, done_on=credit_on,
            overdue=credit_on is None and to_credit < today,
        ),
        Handover(
            step="to_archive", due_on=to_archive, done_on=archive_on,
            overdue=archive_on is None and to_archive is not None and to_archive < today,
        ),
    ]  # fmt: skip


def of_contracts(contracts: Iterable[Contract], today: date) -> list[Due]:
    """The open hand-overs of these contracts due within the round's horizon, or past."""
    found = []
    for contract in contracts:
        for step in handovers(contract, today):
            due = step.due_on
            if step.done_on is None and due is not None and due <= today + AHEAD:
                found.append(
                    Due(
                        contract.customer_id, KINDS[step.step], contract.id.hex, due,
                        contract_id=contract.id,
                    )
                )  # fmt: skip
    return found


def find(session: Session, today: date) -> list[Due]:
    """Every open contract hand-over of files still kept, as of `today`."""
    kept = select(Customer.id).where(Customer.status != CustomerStatus.terminated)
    contracts = session.scalars(
        select(Contract).where(
            Contract.customer_id.in_(kept),
            Contract.status.in_([s.value for s in SIGNED]),
            Contract.handed_to_archive_on.is_(None),
        )
    )
    return of_contracts(contracts, today)
