"""Import jobs that recover: a worker killed mid-import has its job retried by the next worker (real
processes, SIGKILL), a job whose workers keep dying fails with the reason, a rerun is refused while a
live worker holds the job, two workers never both import one job, organisations get a fair share of
the workers, file sizes are capped per file and per organisation, and upload temporary files go on
every path. On SQLite and (with DATABASE_URL) PostgreSQL."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.utils import timezone

from chuhai.errors import TransitionRefused, ValidationError
from chuhai.web.audit.models import AuditEvent
from chuhai.web.imports import leases
from chuhai.web.imports import services as imports
from chuhai.web.imports.models import ImportJob, JobState
from chuhai.web.vehicles.models import Vehicle

from .test_imports import _consumer_env, stock_csv


@pytest.fixture
def clerk(make_org: Any, make_actor: Any, today: dt.date) -> Any:
    return make_actor(make_org(), "clerk")


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def queued_job(actor: Any, rows: int = 3, **fields: Any) -> ImportJob:
    """A job as `submit` stores it, without offering it to a worker."""
    from django.core.files.base import ContentFile

    data = stock_csv(rows)
    job = ImportJob(
        organisation=actor.organisation, created_by=actor.user, original_name="s.csv", size=len(data)
    )
    job.as_of = dt.date(2026, 11, 20)
    job.file.save("s.csv", ContentFile(data), save=False)
    for key, value in fields.items():
        setattr(job, key, value)
    job.save()
    return job


# --- real workers ---------------------------------------------------------------------------------


def start_worker(tmp_path: Path, name: str, delay: str) -> tuple[subprocess.Popen[bytes], Path]:
    env = _consumer_env(tmp_path) | {"CHUHAI_IMPORT_ROW_DELAY": delay, "CHUHAI_IMPORT_LEASE_SECONDS": "3"}
    log = tmp_path / f"{name}.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "chuhai.cli", "worker"],
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    return process, log


def wait_for(job: ImportJob, states: set[str], workers: list[Any], seconds: float = 90) -> ImportJob:
    deadline = time.monotonic() + seconds
    while (current := ImportJob.objects.get(pk=job.pk)).state not in states:
        if time.monotonic() > deadline or any(w.poll() is not None for w, _log in workers):
            for w, _log in workers:
                w.kill()
            logs = "\n".join(log.read_text(errors="replace")[-3000:] for _w, log in workers)
            pytest.fail(f"job {current.state} {current.message!r}, never {states}\n{logs}")
        time.sleep(0.1)
    return current


def stop(worker: Any) -> None:
    process, _log = worker
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def real_queue() -> Any:
    from huey.contrib.djhuey import HUEY

    HUEY.immediate = False  # enqueue into the real queue the workers read
    HUEY.flush()
    yield HUEY
    HUEY.flush()
    HUEY.immediate = True


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_import_has_its_job_retried_by_the_next_worker(
    make_org: Any, make_actor: Any, tmp_path: Path, real_queue: Any
) -> None:
    actor = make_actor(make_org(), "clerk")
    with transaction.atomic():
        job = imports.submit(actor, "stock.csv", stock_csv(12))
    first = start_worker(tmp_path, "first", delay="0.5")
    try:
        wait_for(job, {"writing"}, [first])
        time.sleep(2.0)  # a few rows written inside the open transaction
        first[0].send_signal(signal.SIGKILL)
        first[0].wait(timeout=10)
    finally:
        if first[0].poll() is None:
            first[0].kill()
    job.refresh_from_db()
    assert job.state == "writing"
    assert f":{first[0].pid}:" in job.lease_owner  # still held by the dead worker
    assert Vehicle.objects.filter(organisation=actor.organisation).count() == 0

    second = start_worker(tmp_path, "second", delay="0")
    try:
        done = wait_for(job, {"succeeded", "failed"}, [second])
    finally:
        stop(second)
    assert done.state == "succeeded", done.message
    assert done.attempts == 2
    assert done.created_count == 12
    assert done.lease_owner == ""
    assert Vehicle.objects.filter(organisation=actor.organisation).count() == 12
    assert (
        AuditEvent.objects.filter(organisation=actor.organisation, transition="vehicle.import").count() == 12
    )
    assert "Recovered import jobs: 1 retried" in second[1].read_text()


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_two_workers_never_both_import_a_job(
    make_org: Any, make_actor: Any, tmp_path: Path, real_queue: Any
) -> None:
    actor = make_actor(make_org(), "clerk")
    with transaction.atomic():
        job = imports.submit(actor, "stock.csv", stock_csv(12))
    for _ in range(3):  # the same job offered again and again (a rerun click, a duplicate message)
        imports.enqueue_now(job.pk)
    workers = [start_worker(tmp_path, f"w{n}", delay="0.1") for n in range(2)]
    try:
        done = wait_for(job, {"succeeded", "failed"}, workers)
        time.sleep(2.0)  # let the other offers reach the workers
    finally:
        for worker in workers:
            stop(worker)
    assert done.state == "succeeded", done.message
    job.refresh_from_db()
    assert job.attempts == 1
    assert job.state == "succeeded"
    assert Vehicle.objects.filter(organisation=actor.organisation).count() == 12
    assert (
        AuditEvent.objects.filter(organisation=actor.organisation, transition="vehicle.import").count() == 12
    )


# --- recovery, rerun, claims ----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_job_whose_workers_keep_dying_fails_with_the_reason(clerk: Any, settings: Any) -> None:
    settings.IMPORT_MAX_ATTEMPTS = 3
    owner = f"{leases.HOST}:{dead_pid()}:abc"
    job = queued_job(clerk, state=JobState.WRITING, lease_owner=owner, attempts=3)
    assert leases.recover() == {"retried": 0, "failed": 1}
    job.refresh_from_db()
    assert job.state == "failed"
    assert job.lease_owner == ""
    assert (
        f"failed after 3 attempt(s): the worker {owner} stopped while the import was writing" in job.message
    )
    assert job.finished_at is not None


@pytest.mark.django_db
def test_an_expired_lease_on_another_machine_is_retried_a_live_one_is_not(clerk: Any) -> None:
    now = timezone.now()
    expired = queued_job(
        clerk,
        state=JobState.SCREENING,
        lease_owner="other-host:4242:abc",
        lease_expires_at=now - dt.timedelta(seconds=5),
        attempts=1,
    )
    live = queued_job(
        clerk,
        state=JobState.SCREENING,
        lease_owner="other-host:4243:def",
        lease_expires_at=now + dt.timedelta(seconds=60),
        attempts=1,
    )
    assert leases.recover() == {"retried": 1, "failed": 0}
    expired.refresh_from_db()
    live.refresh_from_db()
    # Immediate mode: the retried job ran at once, this time to the end.
    assert expired.state == "succeeded"
    assert expired.attempts == 2
    assert live.state == "screening"
    assert live.lease_owner == "other-host:4243:def"


@pytest.mark.django_db
def test_a_live_worker_on_this_machine_is_never_presumed_dead(clerk: Any) -> None:
    # On SQLite a long write transaction keeps the heartbeat waiting: an expired lease alone is no proof.
    owner = f"{leases.HOST}:{os.getppid()}:abc"
    job = queued_job(
        clerk,
        state=JobState.WRITING,
        lease_owner=owner,
        lease_expires_at=timezone.now() - dt.timedelta(minutes=10),
    )
    assert leases.recover() == {"retried": 0, "failed": 0}
    job.refresh_from_db()
    assert job.state == "writing"


@pytest.mark.django_db
def test_rerun_is_refused_while_a_live_worker_holds_the_job(
    clerk: Any, api_client: Any, on_commit: Any
) -> None:
    owner = f"{leases.HOST}:{os.getppid()}:abc"
    job = queued_job(
        clerk,
        state=JobState.WRITING,
        lease_owner=owner,
        lease_expires_at=timezone.now() + dt.timedelta(seconds=60),
    )
    with pytest.raises(TransitionRefused, match="running in a worker"):
        imports.rerun(clerk, job.pk)
    answer = api_client(clerk).post(f"/api/imports/{job.pk}/rerun")
    assert answer.status_code == 409
    job.refresh_from_db()
    assert job.state == "writing"
    assert job.lease_owner == owner
    # Once that worker is gone, the rerun goes through (and runs: immediate mode).
    ImportJob.objects.filter(pk=job.pk).update(lease_owner=f"{leases.HOST}:{dead_pid()}:abc")
    with on_commit():
        imports.rerun(clerk, job.pk)
    job.refresh_from_db()
    assert job.state == "succeeded"


@pytest.mark.django_db
def test_a_claimed_job_cannot_be_claimed_again(clerk: Any) -> None:
    job = queued_job(clerk)
    assert leases.claim(job.pk) == "claimed"
    assert leases.claim(job.pk) == "unavailable"
    job.refresh_from_db()
    assert job.attempts == 1
    assert job.lease_owner == leases.owner_id()


@pytest.mark.django_db
def test_a_worker_that_lost_its_lease_writes_nothing(clerk: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Recovery gave the job to another worker while this one was still writing: this one's transaction
    is rolled back, and the job stays the new holder's."""
    job = queued_job(clerk, rows=5)
    real_write = imports._write

    def write_after_losing_the_lease(job: ImportJob, *args: Any) -> Any:
        ImportJob.objects.filter(pk=job.pk).update(lease_owner="other-host:1:new", state=JobState.QUEUED)
        return real_write(job, *args)

    monkeypatch.setattr(imports, "_write", write_after_losing_the_lease)
    assert imports.run_import(job.pk) == "done"
    job.refresh_from_db()
    assert job.lease_owner == "other-host:1:new"
    assert job.state == "queued"
    assert Vehicle.objects.filter(organisation=clerk.organisation).count() == 0


@pytest.mark.django_db
def test_an_organisation_at_its_cap_waits_while_others_go_first(
    make_org: Any, make_actor: Any, settings: Any, today: dt.date
) -> None:
    settings.HUEY = {**settings.HUEY, "immediate": False}
    settings.IMPORT_MAX_JOBS_PER_ORG = 1
    busy, other = make_actor(make_org(), "clerk"), make_actor(make_org(), "clerk")
    queued_job(
        busy,
        state=JobState.WRITING,
        lease_owner=f"{leases.HOST}:{os.getppid()}:abc",
        lease_expires_at=timezone.now() + dt.timedelta(seconds=60),
    )
    second_of_busy = queued_job(busy)
    first_of_other = queued_job(other)
    assert leases.claim(second_of_busy.pk) == "deferred"
    assert leases.claim(first_of_other.pk) == "claimed"
    second_of_busy.refresh_from_db()
    assert second_of_busy.state == "queued"
    assert second_of_busy.attempts == 0


# --- sizes and temporary files --------------------------------------------------------------------


@pytest.mark.django_db
def test_file_sizes_are_capped_per_file_and_per_organisation(clerk: Any, settings: Any) -> None:
    data = stock_csv(3)
    settings.IMPORT_MAX_FILE_BYTES = len(data) - 1
    with pytest.raises(ValidationError, match="over the limit"):
        imports.submit(clerk, "s.csv", data)
    settings.IMPORT_MAX_FILE_BYTES = 10 * len(data)
    settings.IMPORT_MAX_ORG_BYTES = 2 * len(data)
    queued_job(clerk, size=len(data))  # waiting
    queued_job(clerk, size=len(data), state=JobState.SUCCEEDED)  # finished: does not count
    imports.submit(clerk, "s.csv", data)  # 2 × size: at the limit
    with pytest.raises(ValidationError, match="would pass the limit"):
        imports.submit(clerk, "s.csv", data)


@pytest.mark.django_db
def test_an_oversized_request_is_refused_before_it_is_read(clerk: Any, settings: Any) -> None:
    settings.MAX_REQUEST_BYTES = 1000
    browser = Client()
    browser.force_login(clerk.user)
    response = browser.post("/app/imports/", {"file": SimpleUploadedFile("s.csv", b"x" * 5000)})
    assert response.status_code == 413
    assert not ImportJob.objects.exists()


@pytest.mark.django_db
def test_upload_temporary_files_are_removed_on_success_and_error(
    clerk: Any, settings: Any, tmp_path: Path, on_commit: Any
) -> None:
    spool = tmp_path / "spool"
    spool.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(spool)
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024  # every upload spooled to disk
    browser = Client()
    browser.force_login(clerk.user)
    with on_commit():
        ok = browser.post("/app/imports/", {"file": SimpleUploadedFile("s.csv", stock_csv(30))})
    assert ok.status_code == 302
    assert list(spool.iterdir()) == []
    settings.IMPORT_MAX_FILE_BYTES = 2000  # refused by the service after the upload was spooled
    refused = browser.post("/app/imports/", {"file": SimpleUploadedFile("s.csv", stock_csv(30))})
    assert refused.status_code == 302
    assert list(spool.iterdir()) == []


def test_files_left_by_killed_uploads_are_removed_once_abandoned(settings: Any, tmp_path: Path) -> None:
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    abandoned, in_flight = tmp_path / "abandoned.upload", tmp_path / "in-flight.upload"
    abandoned.write_bytes(b"x" * 1000)
    in_flight.write_bytes(b"y" * 1000)
    old = time.time() - 7200
    os.utime(abandoned, (old, old))
    assert leases.remove_stale_uploads(3600) == 1
    assert not abandoned.exists()
    assert in_flight.exists()
