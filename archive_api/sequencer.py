"""The audit log's background round: chain pending events, sign a checkpoint now and then, and
append new checkpoints to the anchor file if one is configured."""

from __future__ import annotations

import logging

from archive_api.backends import Backends
from archive_api.metrics import AUDIT_CHAINED
from archive_api.worker import Worker
from storage import auditlog
from storage.auditanchor import AnchorFile

logger = logging.getLogger(__name__)
EVERY = 0.5  # seconds between rounds: events are chained within about this long


class Sequencer(Worker):
    """Runs `auditlog.keep_up` every half second; pending events wait safely between rounds."""

    name = "audit-sequencer"
    # Any failure, not only the database's: a round that raised something unforeseen must not
    # end the thread, or nothing more is chained until a restart.
    expected = (Exception,)

    def __init__(self, backends: Backends) -> None:
        super().__init__(backends, EVERY)
        path = backends.settings.audit_anchor_file
        self._anchors = None if path is None else AnchorFile(path)

    def round(self) -> None:
        """Chain what is pending; sign a checkpoint if enough events came since the last; anchor
        new checkpoints (also those exports signed)."""
        backends = self._backends
        chained = auditlog.keep_up(
            backends.sessions, backends.audit_key, backends.settings.audit_checkpoint_every
        )
        AUDIT_CHAINED.inc(chained)
        if self._anchors is not None:
            self._anchors.send(backends.sessions)

    def stop(self, wait: float = 30) -> None:
        """Stop the rounds, then chain what is still pending."""
        super().stop(wait)
        try:
            self.round()
        except self.expected as error:
            logger.warning("%s: last round failed (%s)", self.name, type(error).__name__)
