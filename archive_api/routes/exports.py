"""A customer's whole file exported as a BagIt bag (archivists)."""

from __future__ import annotations

import shutil
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import StreamingResponse

from archive_api.bagzip import zipped
from archive_api.deps import Acting, Authorize, DbSession, Policy, Services
from ingest import bagging
from ingest.filing import Vault
from storage.models import Customer

router = APIRouter(tags=["customers"])


@router.get(
    "/customers/{customer_id:uuid}/bag",
    response_class=StreamingResponse,
    responses={200: {"content": {"application/zip": {}}, "description": "the bag, zipped"}},
)
def export_bag(
    customer: Annotated[Customer, Depends(Authorize("customer", "export"))],
    request: Request,
    actor: Acting,
    session: DbSession,
    services: Services,
    policy: Policy,
) -> StreamingResponse:
    """The customer's file as a BagIt bag (zip): the latest version of every document you may
    read, decrypted, with their metadata; it leaves the archive's protection (docs/import.md)."""
    settings = services.settings
    # Built in the data directory (the one place the archive's own files are), removed once sent.
    folder = bagging.new_bag_folder(settings.data_dir / "exports")
    vault = Vault(services.store, services.keys, settings.max_upload_bytes)
    try:
        bagging.export(
            session, actor, policy, vault, customer, folder,
            organisation=settings.organisation, now=services.clock(),
            decision=request.state.decision,
        )  # fmt: skip
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)  # nothing is sent: remove what was written
        raise
    name = f"customer-{customer.id}"
    headers = {"Content-Disposition": f'attachment; filename="{name}.zip"'}
    # The export's event commits with the request's unit of work, before the first byte goes.
    return StreamingResponse(zipped(folder, name), media_type="application/zip", headers=headers)
