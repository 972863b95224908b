"""Scoring in worker processes: the same ScoredRows, in input order, from N processes.

Rows are sent to the workers in chunks; each worker runs the engine on its chunk with
the document it holds (inherited when the platform forks, loaded again from the same
files otherwise), then makes of the scored rows what the job says (`Job.render`: their
output text and counts, which cost less to send back than the rows), and the chunks'
results are handed back in input order.  Only a few chunks are in flight at a time, so
memory stays flat however long the input is; what the caller writes and counts is what
one process would give it.
"""

from __future__ import annotations

import itertools
import os
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

import attrs

from ..io.cells import CellTyping
from ..io.rows import CellRow, Row
from .cell_memo import CellChunk, CellSource
from .rows import ScoredRow

if TYPE_CHECKING:
    from concurrent.futures import Future

    from ..document import Document
    from .engine import Engine, EngineOptions

#: Rows in one chunk: big enough that sending it costs little beside scoring it.
CHUNK = 2_000
#: Chunks waiting or being scored per worker: keeps every worker busy, memory bounded.
IN_FLIGHT = 3


@attrs.frozen
class Job:
    """What a worker needs to score chunks: the engine, its options and the document
    (or, where processes do not fork, how to load it again)."""

    engine: Engine
    options: EngineOptions
    load: Callable[[], Document]
    #: What a worker makes of a chunk's rows, as they are scored, before sending it back
    #: (their output text, their counts): less to send than the rows.  None: the rows.
    render: Callable[[Iterable[ScoredRow]], Any] | None = None


_WORKER: dict[str, Any] = {}  # the job and document of this worker process


def _start(job: Job, document: Document | None, typing: CellTyping | None) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's: it stops us
    _WORKER["job"] = job
    _WORKER["document"] = document if document is not None else job.load()
    _WORKER["typing"] = typing


def _score(rows: list[Any]) -> Any:
    """A chunk's rows (Rows, or CellRows of the file `typing` types) scored and rendered."""
    job: Job = _WORKER["job"]
    typing = _WORKER["typing"]
    chunk = rows if typing is None else CellChunk(typing, rows)
    scored = job.engine(_WORKER["document"], chunk, job.options)
    return list(scored) if job.render is None else job.render(scored)


def jobs_count(value: str) -> int:
    """`--jobs N` or `auto` (the cores this process may use) as a number of processes."""
    if value == "auto":
        try:
            return len(os.sched_getaffinity(0))
        except AttributeError:  # not on Linux
            return os.cpu_count() or 1
    count = int(value)
    if count < 1:
        raise ValueError("--jobs takes a positive number or auto")
    return count


def score_in_processes(
    document: Document, rows: Iterable[Row], job: Job, jobs: int
) -> Iterator[ScoredRow]:
    """One ScoredRow per Row, in input order, scored by `jobs` worker processes (a job
    without `render`)."""
    for chunk in chunks_in_processes(document, rows, job, jobs):
        yield from chunk


def chunks_in_processes(
    document: Document, rows: Iterable[Row], job: Job, jobs: int
) -> Iterator[Any]:
    """What the workers make of each chunk of rows (`Job.render`, else the ScoredRows),
    chunk by chunk in input order, scored by `jobs` worker processes.

    Input that stops being readable (the reader raises) is scored up to there, then the
    reader's error is raised, as one process would.  Stopping early (an exception in the
    caller, Ctrl-C) cancels the chunks not started and stops the workers.
    """
    import multiprocessing  # here, not at the top: a run with one process never needs it
    from concurrent.futures import ProcessPoolExecutor

    forking = "fork" in multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if forking else "spawn")
    # A forked worker inherits the document; a spawned one loads it again.  A CSV file's
    # rows go as their cells' text, typed by the workers: reading is the part of the
    # work this process does for all of them.
    typing = rows.typing if isinstance(rows, CellSource) else None
    arguments = (job, document if forking else None, typing)
    pool = ProcessPoolExecutor(jobs, mp_context=context, initializer=_start, initargs=arguments)
    pending: deque[Future[Any]] = deque()
    chunks = _Chunks(rows.cell_rows() if isinstance(rows, CellSource) else rows)
    try:
        for chunk in itertools.islice(chunks, jobs * IN_FLIGHT):
            pending.append(pool.submit(_score, chunk))
        while pending:
            done = pending.popleft().result()
            following = next(chunks, None)
            if following is not None:
                pending.append(pool.submit(_score, following))
            yield done
    finally:
        # Chunks not started are dropped; the ones being scored finish (they take a
        # moment), so no worker or queue thread is left writing to a closed pipe.
        pool.shutdown(wait=True, cancel_futures=True)
    if chunks.error is not None:
        raise chunks.error


class _Chunks:
    """Rows in chunks of CHUNK; an error from reading them ends the chunks and is kept,
    to be raised after the rows read before it are scored."""

    def __init__(self, rows: Iterable[Row | CellRow]) -> None:
        self.rows = iter(rows)
        self.error: Exception | None = None

    def __iter__(self) -> Iterator[list[Row | CellRow]]:
        return self

    def __next__(self) -> list[Row | CellRow]:
        chunk: list[Row | CellRow] = []
        if self.error is None:
            try:
                chunk.extend(itertools.islice(self.rows, CHUNK))
            except Exception as error:  # raised again once the rows before it are out
                self.error = error
        if not chunk:
            raise StopIteration
        return chunk
