"""Background threads of the server: each does a round of work every few seconds until stopped."""

from __future__ import annotations

import logging
import threading
from abc import ABC, abstractmethod

from sqlalchemy.exc import SQLAlchemyError

from archive_api.backends import Backends

logger = logging.getLogger(__name__)


class Worker(ABC):
    """A daemon thread calling `round()` every `every` seconds; failures it expects are logged
    and the next round tries again."""

    name = "worker"
    expected: tuple[type[Exception], ...] = (SQLAlchemyError,)

    def __init__(self, backends: Backends, every: float) -> None:
        self._backends = backends
        self._every = every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)

    def start(self) -> None:
        """Begin the rounds."""
        self._thread.start()

    def stop(self, wait: float = 60) -> None:
        """Stop after the round under way (waiting at most `wait` seconds for it)."""
        self._stop.set()
        self._thread.join(timeout=wait)

    def alive(self) -> bool:
        """Whether the rounds go on (they end only when stopped)."""
        return self._thread.is_alive()

    @property
    def stopping(self) -> bool:
        """Whether a stop was asked for, so a long round can end early."""
        return self._stop.is_set()

    @abstractmethod
    def round(self) -> None:
        """One round of work."""

    def _run(self) -> None:
        while not self._stop.wait(self._every):
            try:
                self.round()
            except self.expected as error:
                logger.warning("%s: round failed (%s), will retry", self.name, type(error).__name__)
