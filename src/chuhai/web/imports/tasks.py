"""Huey tasks (autodiscovered by ``run_huey``): the stock-file import job."""

from huey.contrib.djhuey import db_task

from chuhai.web.imports import services as imports


@db_task(retries=0)  # type: ignore[untyped-decorator]  # huey ships no type hints
def run_import_task(job_id: int) -> None:
    imports.run_import(job_id)
