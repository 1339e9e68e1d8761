"""Every process serves the law now on disk, and API responses say which.

Another process (a second web worker, the command line) may write the local law directory; at most
every :data:`REFRESH_SECONDS` a request makes this process check the files' stamps
(:func:`chuhai.lawbook.refresh`) so that it reads the new law. Responses under ``/api/`` carry
``X-Chuhai-Law-Version`` and, from 60 days before the working-day calendar ends,
``X-Chuhai-Calendar-Warning`` (``ending; ends=2026-12-31; days-left=24`` or ``ended; ends=…``).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from chuhai import lawbook
from chuhai.errors import LawError

log = logging.getLogger("chuhai.web.lawbook")

REFRESH_SECONDS = 5.0
_lock = threading.Lock()
_checked = 0.0


def _refresh() -> None:
    global _checked
    now = time.monotonic()
    with _lock:
        if now - _checked < REFRESH_SECONDS:
            return
        _checked = now
    try:
        lawbook.refresh()
    except LawError as exc:
        # The page or endpoint that asks for the law shows this error itself (naming the file); the
        # request is not refused here.
        log.error("the law cannot be read: %s", exc)


class LawMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        _refresh()
        response = self.get_response(request)
        if request.path.startswith("/api/"):
            from chuhai.web.lawbook.services import law_status

            try:
                status = law_status()
            except LawError:
                return response  # the endpoint answered with the error already, or did not need the law
            response["X-Chuhai-Law-Version"] = status.version
            horizon = status.horizon
            if horizon.state != "ok":
                response["X-Chuhai-Calendar-Warning"] = (
                    f"{horizon.state}; ends={horizon.last_day.isoformat()}; days-left={horizon.days_left}"
                )
        return response
