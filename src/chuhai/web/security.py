"""Request-level security: the client's address, the session idle timeout, ``no-store`` on every
authenticated answer, and the platform admin's sign-in throttled like the app's.

* :func:`client_address`: the connection's address, or — behind ``TRUSTED_PROXY_HOPS`` proxies that
  append to ``X-Forwarded-For`` — the address the outermost trusted proxy saw. Login throttling locks
  per account *and* address, so behind a proxy the real client address matters: with the proxy's own
  address every user would share one lock.
* :class:`SessionSecurityMiddleware`: a signed-in session unused for ``SESSION_IDLE_SECONDS`` ends (the
  next request is anonymous and signs in again); answers to a signed-in user or to a bearer token are
  never stored by a browser or a proxy (``Cache-Control: no-store``).
* :func:`admin_login`: ``/admin/login/`` with the same lock and the same failure records as the app's
  sign-in pages.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

SEEN_KEY = "_chuhai_seen"
# The last-activity mark is written at most this often (a session write per request is a database write
# per request).
SEEN_GRANULARITY_SECONDS = 60


def client_address(request: HttpRequest) -> str:
    """The client's IP address as far as the trusted proxies say (never a header a client can forge)."""
    hops = int(settings.TRUSTED_PROXY_HOPS)
    if hops > 0:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        if len(forwarded) >= hops:
            return str(forwarded[-hops])[:64]
    return str(request.META.get("REMOTE_ADDR", ""))[:64]


class SessionSecurityMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            seen = request.session.get(SEEN_KEY)
            if isinstance(seen, int) and now - seen > settings.SESSION_IDLE_SECONDS:
                logout(request)  # flushes the session: this request goes on as anonymous
            elif not isinstance(seen, int) or now - seen >= SEEN_GRANULARITY_SECONDS:
                request.session[SEEN_KEY] = now
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or "HTTP_AUTHORIZATION" in request.META:
            response["Cache-Control"] = "no-store"
            response.headers.pop("Expires", None)
        return response


class RequestSizeLimitMiddleware:
    """Refuse (413) a request whose declared body is over ``MAX_REQUEST_BYTES`` before reading it, so a
    huge upload neither fills the disk with a temporary file nor holds a web process."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        limit = settings.MAX_REQUEST_BYTES
        if declared > limit:
            return HttpResponse(
                f"The request is {declared / 1048576:.1f} MiB; the limit is {limit / 1048576:.0f} MiB.",
                status=413,
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


def admin_login(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    """The admin site's sign-in behind the app's throttle (lock per account and address, 429 when locked)."""
    from django.shortcuts import render

    from chuhai.web.organisations import services as accounts

    if request.method != "POST":
        return admin.site.login(request, **kwargs)
    username = request.POST.get("username", "").strip()
    address = client_address(request)
    if accounts.login_locked(username, address):
        error = {
            "headline": _("Too many failed sign-ins. Try again later."),
            "hint": "",
            "rules": [],
            "detail": "429",
        }
        return render(request, "ui/error.html", {"error": error}, status=429)
    response = admin.site.login(request, **kwargs)
    if request.user.is_authenticated and request.user.get_username().lower() == username.lower():
        accounts.login_succeeded(username, address)
    else:
        accounts.login_failed(username, address)
    return response
