"""What a user may know exists, applied to views that gather many objects: handover inventories.

Invariants: an item is shown only if the user may read it as it is ranked now (a customer or
document by the policy at its own department and secrecy, a borrowing by everything it covers);
an item whose object is gone is not shown; nothing tells that an item was left out, not even a
count, since that alone would tell that it exists.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from access.authz import Access
from access.grants import sees_material
from access.handover_schemas import Held, Inventory
from storage.models import Borrowing, Contract, Customer, Document


def shown_inventory(session: Session, policy: Access, items: Inventory) -> Inventory:
    """The inventory without what the user may not know exists."""
    wanted = [h.id for h in items.customers]
    customers = {c.id: c for c in session.scalars(select(Customer).where(Customer.id.in_(wanted)))}
    documents = {
        d.id: d
        for d in session.scalars(
            select(Document)
            .options(joinedload(Document.customer))
            .where(Document.id.in_([h.id for h in items.unfiled_documents + items.originals_out]))
        )
    }
    contracts = {
        c.id: c
        for c in session.scalars(
            select(Contract)
            .options(joinedload(Contract.customer))
            .where(Contract.id.in_([h.id for h in items.contracts]))
        )
    }
    wanted = [h.id for h in items.open_borrowings]
    borrowings = {
        b.id: b for b in session.scalars(select(Borrowing).where(Borrowing.id.in_(wanted)))
    }

    def customer(held: Held) -> bool:
        found = customers.get(held.id)
        return found is not None and policy.allowed(
            found.department_id, "customer", "read", found.secrecy
        )

    def document(held: Held) -> bool:
        found = documents.get(held.id)
        return found is not None and policy.allowed(
            found.customer.department_id, "document", "read", found.secrecy
        )

    def contract(held: Held) -> bool:
        found = contracts.get(held.id)
        return found is not None and policy.allowed(
            found.customer.department_id, "contract", "read", found.secrecy
        )

    def borrowing(held: Held) -> bool:
        found = borrowings.get(held.id)
        return found is not None and sees_material(session, policy, found)

    return Inventory(
        customers=[h for h in items.customers if customer(h)],
        contracts=[h for h in items.contracts if contract(h)],
        unfiled_documents=[h for h in items.unfiled_documents if document(h)],
        open_borrowings=[h for h in items.open_borrowings if borrowing(h)],
        originals_out=[h for h in items.originals_out if document(h)],
        tokens=items.tokens,
    )
