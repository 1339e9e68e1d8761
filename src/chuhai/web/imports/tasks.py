"""Huey tasks (autodiscovered by ``run_huey``): the stock-file import job and the recovery round.

An import whose organisation is at its cap of concurrent imports is offered again after
``IMPORT_DEFER_SECONDS`` (the worker meanwhile takes other organisations' jobs). Every minute each
worker queues again (or fails, with the reason) the jobs of workers that died, and removes upload
temporary files left by killed requests (:mod:`chuhai.web.imports.leases`).
"""

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from chuhai import lawbook
from chuhai.web.imports import leases
from chuhai.web.imports import services as imports


@db_task(retries=0)  # type: ignore[untyped-decorator]  # huey ships no type hints
def run_import_task(job_id: int) -> None:
    # The worker is a process of its own: read the law again if the web app changed the local law
    # directory (a holiday notice imported) since it last looked.
    lawbook.refresh()
    if imports.run_import(job_id) == "deferred":
        run_import_task.schedule((job_id,), delay=settings.IMPORT_DEFER_SECONDS)


@db_periodic_task(crontab(minute="*"))  # type: ignore[untyped-decorator]
def recover_import_jobs() -> None:
    leases.recover()
    leases.remove_stale_uploads()
