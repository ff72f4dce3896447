"""`dangan search reindex`: the index rebuilt from the stored files, with progress, resumably."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select
from typer.testing import CliRunner

from archive_api.cli import app
from archive_api.extractor import Indexer
from ingest import textindex
from storage.db import unit_of_work
from storage.models import DocumentText, Extraction
from tests.archive_api.conftest import Api
from tests.archive_api.test_search import CONTRACT, found, ids, index_all, text_pdf


def _lose_the_index(api: Api) -> None:
    with unit_of_work(api.backends.sessions) as session:
        session.execute(delete(DocumentText))
        session.execute(delete(Extraction).where(Extraction.kind == "text"))


# The command's settings are the data directory's: the embedded deployment.
@pytest.mark.parametrize("settings", ["embedded"], indirect=True)
def test_reindex_reads_what_is_missing_and_resumes(api: Api) -> None:
    customer = api.customer()
    first = str(api.upload(customer, text_pdf(*CONTRACT), doc_type="contract", title="合同")["id"])
    second = str(
        api.upload(customer, text_pdf("租赁物清单与保证金条款"), doc_type="contract", title="租赁")[
            "id"
        ]
    )
    index_all(api)
    _lose_the_index(api)
    assert found(api.client, q="保证金")["total"] == 0
    # A run interrupted after queueing both and reading one.
    with unit_of_work(api.backends.sessions) as session:
        assert textindex.queue_missing(session, "confidential") == 2
    assert Indexer(api.backends).run_once()
    data_dir = str(api.backends.settings.data_dir)
    run = CliRunner().invoke(app, ["search", "reindex", "--data-dir", data_dir])
    assert run.exit_code == 0, run.output
    assert "queued 0; 1 to read" in run.output
    assert "read 1 of 1" in run.output
    assert ids(found(api.client, q="保证金")) == {first, second}
    again = CliRunner().invoke(app, ["search", "reindex", "--data-dir", data_dir])
    assert "queued 0; 0 to read" in again.output  # nothing left: an interrupted run resumes here
    with unit_of_work(api.backends.sessions) as session:
        assert len(session.scalars(select(DocumentText)).all()) == 2
