"""Import jobs that recover: a lease with a heartbeat on the job row, recovery of jobs whose worker
died, and a fair share of the workers between organisations.

* **Claim** (:func:`claim`): a worker takes a job with one conditional ``UPDATE`` (queued and held by
  nobody → held by this worker): two workers can never both import a job, whatever the queue holds
  (a rerun, a duplicate message, a retry). An organisation holds at most ``IMPORT_MAX_JOBS_PER_ORG``
  jobs at once (its row is locked while counting); a job over the cap is *deferred* — left queued and
  offered again a few seconds later — so the other organisations' jobs go first.
* **Heartbeat** (:class:`Lease`): while it works, the holder renews ``lease_expires_at`` every third of
  ``IMPORT_LEASE_SECONDS`` from a thread. If the renewal finds the job held by someone else (recovery
  decided the holder was dead), the lease is *lost*: the import stops and its transaction is rolled back.
  The final state is written inside the import's own transaction, on condition that this worker still
  holds the lease, so a holder presumed dead can never commit.
* **Recovery** (:func:`recover`): a job whose holder is gone — its process no longer exists (same
  machine) or its lease expired (any machine) — is queued again, or failed with the reason once it has
  had ``IMPORT_MAX_ATTEMPTS`` attempts. Workers run it when they start and every minute. A holder on this
  machine whose process is alive is never presumed dead, even with an expired lease: on SQLite the
  heartbeat waits while the import's write transaction holds the database.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
import time
import uuid
from pathlib import Path
from types import TracebackType
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.db.models import F
from django.utils import timezone

from chuhai.web.imports.models import ImportJob, JobState

log = logging.getLogger("chuhai.imports")

RUNNING = (JobState.SCREENING, JobState.WRITING)
HOST = socket.gethostname()[:60]
_PROCESS: tuple[int, str] | None = None


class LeaseLost(Exception):
    """Another worker holds the job now: this one must stop without writing anything."""


def owner_id() -> str:
    """``host:pid:token`` of this process (a new token after a fork)."""
    global _PROCESS
    if _PROCESS is None or _PROCESS[0] != os.getpid():
        _PROCESS = (os.getpid(), uuid.uuid4().hex[:12])
    return f"{HOST}:{_PROCESS[0]}:{_PROCESS[1]}"


def _lease_seconds() -> int:
    return int(settings.IMPORT_LEASE_SECONDS)


def holder_alive(owner: str, expires: dt.datetime | None, now: dt.datetime) -> bool:
    """Whether the holder of a lease may still be working on it."""
    host, _, rest = owner.partition(":")
    pid_text = rest.partition(":")[0]
    if host == HOST and pid_text.isdigit():
        # Same machine: the process table is the truth (a signal 0 only checks existence).
        try:
            os.kill(int(pid_text), 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True
    return expires is not None and expires > now


def claim(job_id: int) -> str:
    """Take the job for this worker: ``"claimed"``, ``"deferred"`` (its organisation is at its cap) or
    ``"unavailable"`` (held by another worker, finished, or gone)."""
    now = timezone.now()
    me = owner_id()
    with transaction.atomic():
        job = (
            ImportJob.objects.filter(pk=job_id).only("pk", "organisation_id", "state", "lease_owner").first()
        )
        if job is None or job.state != JobState.QUEUED or job.lease_owner:
            return "unavailable"
        cap = int(settings.IMPORT_MAX_JOBS_PER_ORG)
        if cap > 0 and not settings.HUEY.get("immediate"):
            from chuhai.web.organisations.models import Organisation

            # One claim per organisation at a time (PostgreSQL; SQLite serialises writers anyway).
            Organisation.objects.select_for_update().only("pk").get(pk=job.organisation_id)
            held = (
                ImportJob.objects.filter(organisation_id=job.organisation_id, state__in=RUNNING)
                .exclude(lease_owner="")
                .count()
            )
            if held >= cap:
                return "deferred"
        taken = ImportJob.objects.filter(pk=job_id, state=JobState.QUEUED, lease_owner="").update(
            lease_owner=me,
            lease_expires_at=now + dt.timedelta(seconds=_lease_seconds()),
            heartbeat_at=now,
            state=JobState.SCREENING,
            started_at=now,
            attempts=F("attempts") + 1,
            processed_rows=0,
            message="",
            errors=[],
        )
    return "claimed" if taken else "unavailable"


def held(job_id: int, owner: str | None = None) -> Any:
    """The job's rows while ``owner`` (this worker) holds its lease: updates through it are no-ops once
    the lease is lost."""
    return ImportJob.objects.filter(pk=job_id, lease_owner=owner or owner_id())


class Lease:
    """The heartbeat of a claimed job (a context manager around the import's body)."""

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self.owner = owner_id()
        self.lost = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=f"lease-{job_id}", daemon=True)

    def __enter__(self) -> Lease:
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._stop.set()
        self._thread.join(timeout=_lease_seconds())

    def check(self) -> None:
        if self.lost.is_set():
            raise LeaseLost(f"import job {self.job_id}: another worker holds it now")

    def _beat(self) -> None:
        interval = max(_lease_seconds() / 3, 0.2)
        try:
            while not self._stop.wait(interval):
                now = timezone.now()
                try:
                    renewed = held(self.job_id, self.owner).update(
                        lease_expires_at=now + dt.timedelta(seconds=_lease_seconds()), heartbeat_at=now
                    )
                except Exception as exc:  # a busy database: the next beat tries again
                    log.warning("import job %s: heartbeat failed: %s", self.job_id, exc)
                    close_old_connections()
                    continue
                if not renewed:
                    log.error("import job %s: lease lost to another worker", self.job_id)
                    self.lost.set()
                    return
        finally:
            connection.close()  # this thread's own connection


def recover() -> dict[str, int]:
    """Queue again (or fail, after ``IMPORT_MAX_ATTEMPTS``) every job whose holder is gone; returns the
    counts. Safe to run from any number of workers at once: each change is conditional on the holder
    it found."""
    from chuhai.web.imports.services import enqueue_now

    now = timezone.now()
    counts = {"retried": 0, "failed": 0}
    candidates = ImportJob.objects.filter(state__in=RUNNING).exclude(lease_owner="")
    for job in candidates.only("pk", "lease_owner", "lease_expires_at", "attempts", "state"):
        if holder_alive(job.lease_owner, job.lease_expires_at, now):
            continue
        phase = str(job.state)
        reason = (
            f"the worker {job.lease_owner} stopped while the import was {phase} "
            f"(no heartbeat since {job.lease_expires_at:%Y-%m-%d %H:%M:%S %Z}); nothing of it was written"
            if job.lease_expires_at
            else f"the worker {job.lease_owner} stopped while the import was {phase}; nothing was written"
        )
        found = ImportJob.objects.filter(pk=job.pk, lease_owner=job.lease_owner, state=job.state)
        if job.attempts >= int(settings.IMPORT_MAX_ATTEMPTS):
            if found.update(
                state=JobState.FAILED,
                lease_owner="",
                finished_at=now,
                message=f"failed after {job.attempts} attempt(s): {reason}",
            ):
                counts["failed"] += 1
                log.error("import job %s failed: %s", job.pk, reason)
        elif found.update(state=JobState.QUEUED, lease_owner="", message=f"retrying: {reason}"):
            counts["retried"] += 1
            log.warning("import job %s queued again: %s", job.pk, reason)
            enqueue_now(job.pk)
    return counts


def remove_stale_uploads(max_age_seconds: int | None = None) -> int:
    """Remove the upload temporary files that no request is writing any more (a request killed mid-upload
    leaves its file; a live upload keeps touching its own). Returns how many were removed."""
    directory = Path(settings.FILE_UPLOAD_TEMP_DIR)
    age = settings.UPLOAD_TEMP_MAX_AGE_SECONDS if max_age_seconds is None else max_age_seconds
    cutoff = time.time() - age
    removed = 0
    for path in directory.glob("*"):
        try:
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
        except FileNotFoundError:  # finished (and removed) meanwhile
            continue
    if removed:
        log.warning("removed %s abandoned upload file(s) from %s", removed, directory)
    return removed
