"""The background rounds: run inside `dangan serve`, or on their own by `dangan worker`."""

from __future__ import annotations

from archive_api.backends import Backends
from archive_api.extractor import Extractor, Indexer
from archive_api.payments_round import PaymentsImporter, configured
from archive_api.postman import Postman
from archive_api.sequencer import Sequencer
from archive_api.worker import Worker


class Rounds:
    """The audit sequencer, the postman, the extractor, the indexer and (where a source is
    configured) the payments' importer, started and stopped together; each is safe beside the
    same rounds of other processes."""

    def __init__(self, backends: Backends) -> None:
        # The sequencer stops last: it chains what the others recorded while stopping.
        self._workers: list[Worker] = [
            Sequencer(backends), Postman(backends), Extractor(backends), Indexer(backends)
        ]  # fmt: skip
        if configured(backends):
            self._workers.insert(1, PaymentsImporter(backends))

    def start(self) -> None:
        """Begin every round."""
        for worker in self._workers:
            worker.start()

    def stop(self) -> None:
        """Stop every round, the sequencer last."""
        for worker in reversed(self._workers):
            worker.stop()
