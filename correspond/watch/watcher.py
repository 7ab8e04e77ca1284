"""The inbox loop: notice files, wait until each is complete, process it, move it on.

Events (inotify, or polling for network shares) and a periodic rescan only say "look at
this path". A stability tracker releases a file once its size and time have settled; it
is then claimed and run through the pipeline on one of a few threads, each waiting on a
warm reader process.

A file that cannot be read may be a copy that stalled for longer than the settle
interval, not a damaged one, so it is held (still claimed) and read once more after it
has stayed unchanged for `recheck_seconds`; only then is it set aside. If it changes
meanwhile it goes back to the inbox to settle again.

Each rescan also resumes claimed files no thread is working on: those left by a crash or
a stop, and those whose last step failed (a full disk), so none waits for a restart.

Several workers (processes, on one machine or several) may watch one inbox: each records
its claim on a file in the database before moving it, and renews the claim's lease while
it works, so a claimed file is resumed only by the worker holding it, or taken over once
its holder has died (correspond/store/claims.py).
"""

from __future__ import annotations

import logging
import os
import queue
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from watchdog.events import FileClosedEvent, FileMovedEvent, FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

from correspond.config import Settings
from correspond.errors import UnreadableFile
from correspond.pipeline import Expected, FileChanged, Pipeline
from correspond.store import claims, deliveries
from correspond.store.database import Database
from correspond.watch.inbox import Claim, Inbox
from correspond.watch.stability import StabilityTracker

log = logging.getLogger(__name__)

_TICK_SECONDS = 0.05
# A file that raises an unexpected error this many times in a row is set aside, so one
# file the program cannot handle never holds the queue or loops for ever.
MAX_ATTEMPTS = 3


class _Nudge(FileSystemEventHandler):
    """Turns file-system events into paths worth a look."""

    def __init__(self, paths: queue.SimpleQueue[tuple[Path, bool]]) -> None:
        self._paths = paths

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.is_directory:
            return
        target = getattr(event, "dest_path", "") or event.src_path
        finished = isinstance(event, (FileClosedEvent, FileMovedEvent))
        self._paths.put((Path(str(target)), finished))


@dataclass(frozen=True)
class _Held:
    """A claimed file that could not be read, waiting to be read once more."""

    claim: Claim
    expected: Expected  # its size and time when it was read
    until: float  # when to read it again (time.monotonic)


class InboxWatcher:
    def __init__(self, settings: Settings, pipeline: Pipeline, db: Database) -> None:
        self.settings = settings
        self.pipeline = pipeline
        self.db = db
        self.inbox = Inbox(settings.inbox)
        self._tracker = StabilityTracker(settings.settle_seconds)
        self._events: queue.SimpleQueue[tuple[Path, bool]] = queue.SimpleQueue()
        self._executor = ThreadPoolExecutor(max_workers=settings.workers,
                                            thread_name_prefix="ingest")
        self._in_flight: set[Path] = set()  # waiting files handed to a thread
        self._active_claims: set[Path] = set()  # claimed files being processed or held
        self._held: dict[Path, _Held] = {}
        self._crashes: dict[tuple[str, int, int], int] = {}
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._observer: BaseObserver | None = None
        self._loop_thread: threading.Thread | None = None
        self.worker = claims.worker_name()
        self._lease = timedelta(seconds=settings.claim_lease_seconds)

    # Starting and stopping.

    def start(self) -> None:
        self.inbox.prepare()
        claims.started(self.worker)
        if self.settings.watch_mode == "polling":
            self._observer = PollingObserver(timeout=self.settings.poll_seconds)
        else:
            self._observer = Observer()
        self._observer.schedule(_Nudge(self._events), str(self.inbox.root), recursive=False)
        self._observer.start()
        self._loop_thread = threading.Thread(target=self._loop, name="inbox", daemon=True)
        self._loop_thread.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._observer is not None:
            self._observer.stop()
            self._observer.join(timeout=5)
        if self._loop_thread is not None:
            self._loop_thread.join(timeout=5)
        # Files being processed finish; nothing new starts.
        self._executor.shutdown(wait=True, cancel_futures=True)
        claims.stopped(self.worker)

    def is_idle(self) -> bool:
        """Nothing waiting, settling or being processed (for tests and benchmarks)."""
        with self._lock:
            busy = bool(self._in_flight or self._active_claims) or len(self._tracker) > 0
        return not busy and self._events.empty() and not self.inbox.waiting_files() \
            and not self.inbox.claimed_files()

    # The loop.

    def _loop(self) -> None:
        next_rescan = next_renewal = 0.0
        while not self._stopping.is_set():
            now = time.monotonic()
            try:
                if now >= next_renewal:
                    self._renew_leases()
                    next_renewal = now + self._lease.total_seconds() / 3
                if now >= next_rescan:
                    self._resume_claimed()
                    for path in self.inbox.waiting_files():
                        self._observe(path, now)
                    next_rescan = now + self.settings.rescan_seconds
                while not self._events.empty():
                    path, finished = self._events.get_nowait()
                    if self.inbox.is_waiting(path):
                        self._observe(path, now, finished=finished)
                self._recheck_held(now)
                self._dispatch_ready(now)
            except OSError:
                # The share may be briefly unreachable; try again on the next tick.
                log.warning("The inbox could not be read; retrying", exc_info=True)
            except sa.exc.DBAPIError:
                log.warning("The database could not be reached; retrying", exc_info=True)
                next_rescan = next_renewal = now + 1
            self._stopping.wait(_TICK_SECONDS)

    def _observe(self, path: Path, now: float, *, finished: bool = False) -> None:
        with self._lock:
            if path not in self._in_flight:
                self._tracker.observe(path, now, finished=finished)

    def _dispatch_ready(self, now: float) -> None:
        with self._lock:
            ready = [path for path in self._tracker.ready(now) if path not in self._in_flight]
            self._in_flight.update(ready)
        for path in ready:
            self._executor.submit(self._take, path)

    # One file.

    def _take(self, path: Path) -> None:
        try:
            # Recorded before the file moves, so no other worker resumes it meanwhile.
            token = self.inbox.new_token()
            claims.take(self.db, token, self.worker, self._lease)
            with self._lock:
                # Claimed and registered together, so a rescan never resumes it as well.
                claim = self.inbox.claim(path, token)
                if claim is not None:
                    self._active_claims.add(claim.path)
            if claim is None:
                claims.release(self.db, token)  # another worker took the file first
            else:
                self._run(claim)
        except Exception:
            log.exception("A file could not be claimed; it stays in the inbox for a retry")
        finally:
            with self._lock:
                self._in_flight.discard(path)

    def _run(self, claim: Claim, *, read_again_if_unreadable: bool = True) -> None:
        """Process a claimed file, or move it on if it was recorded before a stop or a
        failed write."""
        try:
            with self.db.reading() as connection:
                delivery = deliveries.delivery_by_token(self.db, connection, claim.token)
            if delivery is None:
                self._process(claim, read_again_if_unreadable=read_again_if_unreadable)
            else:
                self._finish(claim, delivery.outcome, delivery.reason, delivery.id, None)
        except Exception:
            log.exception("A claimed file could not be finished; it is tried again later")
        finally:
            with self._lock:
                if claim.path not in self._held:
                    self._active_claims.discard(claim.path)
            self._release_if_moved_on(claim)

    def _release_if_moved_on(self, claim: Claim) -> None:
        """A claim ends when its file has left .processing (recorded, set aside or put
        back); one still there stays claimed, for this worker to resume."""
        if os.path.lexists(claim.path):
            return
        try:
            claims.release(self.db, claim.token)
        except sa.exc.DBAPIError:
            # Left to expire: forget_stale removes it once its lease has run out.
            log.warning("A finished claim could not be released", exc_info=True)

    def _process(self, claim: Claim, *, read_again_if_unreadable: bool) -> None:
        expected = Expected.of(claim.path)
        try:
            outcome = self.pipeline.ingest(claim.path, name=claim.name,
                                           claim_token=claim.token, expected=expected,
                                           given_as=str(self.inbox.root / claim.name),
                                           recheck_unreadable=read_again_if_unreadable)
        except FileChanged:
            log.info("a file changed while it was read; it goes back to the inbox")
            self.inbox.put_back(claim)
            return
        except UnreadableFile:
            log.info("a file could not be read; it is read again once unchanged for %g s",
                     self.settings.recheck_seconds)
            with self._lock:
                self._held[claim.path] = _Held(
                    claim, expected, time.monotonic() + self.settings.recheck_seconds)
            return
        except Exception as error:
            key = (claim.name, expected.size, expected.mtime_ns)
            self._crashes[key] = self._crashes.get(key, 0) + 1
            if self._crashes[key] < MAX_ATTEMPTS:
                self.inbox.put_back(claim)
                raise
            del self._crashes[key]
            log.exception("A file failed %d times; it is set aside", MAX_ATTEMPTS)
            outcome = self.pipeline.record_failure(
                claim.path, name=claim.name, claim_token=claim.token,
                reason=_internal_error_reason(error))
        self._finish(claim, outcome.kind, outcome.reason, outcome.delivery_id, expected)

    def _finish(self, claim: Claim, kind: str, reason: str | None, delivery_id: int,
                expected: Expected | None) -> None:
        if kind == "failed":
            failed_name = self.inbox.set_aside(claim, reason or "This file could not be read.")
            with self.db.writing() as connection:
                deliveries.set_failed_name(self.db, connection, delivery_id, failed_name)
        elif expected is not None and Expected.of(claim.path) != expected:
            # Written to again after it was read: the new content is a new delivery.
            self.inbox.put_back(claim)
        else:
            self.inbox.release(claim)

    def _recheck_held(self, now: float) -> None:
        """Read held files again once due; one changed meanwhile goes back to waiting."""
        changed, due = [], []
        with self._lock:
            for path, held in list(self._held.items()):
                try:
                    state = Expected.of(path)
                except FileNotFoundError:
                    state = None  # removed by hand: nothing left to finish
                if state != held.expected:
                    del self._held[path]
                    changed.append((held.claim, state is not None))
                elif now >= held.until:
                    del self._held[path]
                    due.append(held.claim)
        for claim, still_there in changed:
            if still_there:
                log.info("a file changed after it could not be read; it waits again")
                try:
                    self.inbox.put_back(claim)
                except OSError:
                    log.warning("A changed file could not go back to the inbox; it is "
                                "tried again on the next rescan", exc_info=True)
            with self._lock:
                self._active_claims.discard(claim.path)
            self._release_if_moved_on(claim)
        for claim in due:
            self._executor.submit(self._run, claim, read_again_if_unreadable=False)

    def _resume_claimed(self) -> None:
        """Finish claimed files no thread is working on (left by a crash, a stop or a
        failed write, here or by a worker that has died): move on the recorded, process
        the rest. One another worker is working on is left to it."""
        claimed = self.inbox.claimed_files()
        with self._lock:
            idle = [claim for claim in claimed if claim.path not in self._active_claims]
        for claim in idle:
            if not claims.take_over(self.db, claim.token, self.worker, self._lease):
                continue
            if not os.path.lexists(claim.path):  # finished meanwhile, here or elsewhere
                claims.release(self.db, claim.token)
                continue
            with self._lock:
                if claim.path in self._active_claims:
                    continue
                self._active_claims.add(claim.path)
            log.info("resuming a file claimed earlier")
            self._executor.submit(self._run, claim)
        claims.forget_stale(self.db, [claim.token for claim in claimed])

    def _renew_leases(self) -> None:
        with self._lock:
            tokens = {path.name.partition("__")[0] for path in self._active_claims}
        lost = claims.renew(self.db, tokens, self.worker, self._lease)
        if lost:
            log.warning("%d claimed files were taken over by another worker (this one "
                        "stopped renewing its claims for longer than claim_lease_seconds)",
                        len(lost))


def _internal_error_reason(error: Exception) -> str:
    # The class name only: an error's message may quote the letter.
    return (f"correspond met an internal error ({type(error).__name__}) each of the "
            f"{MAX_ATTEMPTS} times it tried this file, so it has been set aside; ask IT "
            f"support to check the service log, then move the file back into the inbox.")
