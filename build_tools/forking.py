"""Maps over a pool of forked processes that have one object of this process in their memory.

The processes are forked, so they start at once with everything imported, and the object they
share (the ``context`` of :class:`Forked`) is in their memory from the fork: it is never sent to
them, and may hold what cannot be pickled (functions, closures). Only the items and the results
cross between the processes.
"""

from __future__ import annotations

import functools
import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator
    from concurrent.futures import Future

T = TypeVar("T")
R = TypeVar("R")

_shared: object = None
"""The ``context`` of the pool this process belongs to."""


def can_fork() -> bool:
    """Whether this process may fork a pool (a forked copy of a process running other threads,
    such as a dev server, may hang)."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def cores() -> int:
    return os.cpu_count() or 1


class Forked:
    """A pool of ``workers`` forked processes sharing ``context``; ``function(context, item)``
    runs in them (:meth:`map`)."""

    def __init__(self, context: object, workers: int) -> None:
        fork = multiprocessing.get_context("fork")
        self._pool = ProcessPoolExecutor(workers, mp_context=fork, initializer=_share, initargs=(context,))
        self._workers = workers

    def map(self, function: Callable[[Any, T], R], items: Iterable[T]) -> Iterator[R]:
        """``function(context, item)`` of each item, in order, in chunks that keep every process
        busy while their results are sent back; all are submitted at once. The chunks are small
        (32 for each process) so that the processes finish together: one left working alone on
        a last large chunk would leave a core idle."""
        items = list(items)
        chunksize = max(1, len(items) // (32 * self._workers))
        return self._pool.map(functools.partial(_with_shared, function), items, chunksize=chunksize)

    def submit(self, function: Callable[[Any, T], R], item: T) -> Future[R]:
        """Start ``function(context, item)`` in one of the processes."""
        return self._pool.submit(_with_shared, function, item)

    def close(self) -> None:
        """Stop: what has not started is cancelled; wait for the processes to end."""
        self._pool.shutdown(wait=True, cancel_futures=True)


def _share(context: object) -> None:
    global _shared
    _shared = context


def _with_shared(function: Callable[[Any, T], R], item: T) -> R:
    return function(_shared, item)
