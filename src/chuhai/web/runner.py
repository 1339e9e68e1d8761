"""Entry points ``chuhai serve`` and ``chuhai worker`` call (wired in ``chuhai.cli``).

``serve`` migrates the database (SQLite in ``CHUHAI_DATA_DIR`` unless ``DATABASE_URL`` says otherwise),
collects the static files, optionally loads the demo enterprise, prints the address and starts
gunicorn: pre-forked worker processes (``--workers``, each with ``--threads`` threads) that the master
restarts when one dies or exceeds ``--timeout``. WhiteNoise serves the static files from the web
processes with content-hashed names and far-future caching headers. ``--dev`` starts Django's
development server instead (auto-reload off; for working on Chuhai, never for users).

``--demo`` is the embedded mode for one person on one machine: plain HTTP on localhost, so cookies are
not Secure-only and there is no HTTPS redirect (``CHUHAI_DEMO=1``, see ``chuhai.web.settings``).

Import jobs run in the worker (``chuhai worker``); with ``CHUHAI_HUEY_IMMEDIATE=1`` they run inside the
web process instead (single-user convenience).
"""

from __future__ import annotations

import os
from typing import Any


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chuhai.web.settings")
    import django

    django.setup()


def prepare(demo: bool, dev: bool = False) -> None:
    """Migrate, collect the static files (hashed names for WhiteNoise) and optionally load the demo."""
    if demo:
        os.environ["CHUHAI_DEMO"] = "1"
    if dev:  # the development server speaks plain HTTP: Secure-only cookies would never come back
        os.environ.setdefault("CHUHAI_INSECURE_COOKIES", "1")
        os.environ.setdefault("CHUHAI_SSL_REDIRECT", "0")
    os.environ["CHUHAI_STATIC_MANIFEST"] = "1"  # before the settings load: collect with hashed names
    _setup()
    from django.core.management import call_command
    from django.db import connections

    call_command("migrate", interactive=False, verbosity=0)
    # A local law directory edited while the app was down, or a new release: screen the stock again.
    call_command("law_update")
    call_command("collectstatic", interactive=False, verbosity=0)
    from chuhai.web.imports.leases import remove_stale_uploads

    remove_stale_uploads()
    if demo:
        call_command("load_demo")
    # The database connections of this (master) process must not be shared with forked workers.
    connections.close_all()


def _announce(host: str, port: int) -> None:
    from django.conf import settings

    shown_host = "localhost" if host in {"0.0.0.0", "::", "127.0.0.1"} else host  # noqa: S104
    print(
        f"Chuhai is running at http://{shown_host}:{port}/app/  (API docs: http://{shown_host}:{port}/api/docs)",
        flush=True,
    )
    print(f"Data directory: {settings.DATA_DIR}", flush=True)
    if not settings.HUEY.get("immediate"):
        print("Stock-file imports run in the worker: start `chuhai worker` in another terminal.", flush=True)


def gunicorn_options(host: str, port: int, workers: int, threads: int, timeout: int) -> dict[str, Any]:
    """The gunicorn settings ``chuhai serve`` uses (one place, shown by ``--help`` through the CLI)."""
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    return {
        "bind": [bind],
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread",
        "timeout": timeout,
        "graceful_timeout": 30,
        "keepalive": 5,
        # Recycle a worker now and then: bounds the damage of a slow leak in any library.
        "max_requests": 2000,
        "max_requests_jitter": 200,
        # Requests are logged by chuhai.web.observability (JSON, with the request id); gunicorn's own
        # error log goes to stderr.
        "accesslog": None,
        "errorlog": "-",
        "loglevel": os.environ.get("CHUHAI_LOG_LEVEL", "info").lower(),
        "forwarded_allow_ips": os.environ.get("CHUHAI_FORWARDED_ALLOW_IPS", "127.0.0.1,::1"),
        "proc_name": "chuhai-web",
        "logconfig_dict": _gunicorn_logging(),
        # No control socket: several instances on one machine must not fight over ~/.gunicorn.
        "control_socket_disable": True,
    }


def _gunicorn_logging() -> dict[str, Any]:
    """gunicorn's own log (worker boots, timeouts, crashes) in the app's JSON-lines format."""
    from django.conf import settings

    config: dict[str, Any] = settings.LOGGING
    handler = dict(config["handlers"]["console"])
    handler["filters"] = ["context"]
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": config["filters"],
        "formatters": config["formatters"],
        "handlers": {"console": handler},
        "loggers": {
            "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
            "gunicorn.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
        },
    }


def serve(
    host: str,
    port: int,
    demo: bool,
    dev: bool = False,
    workers: int = 2,
    threads: int = 4,
    timeout: int = 120,
) -> None:
    """Prepare the database and static files, print where to go, and serve (gunicorn, or ``--dev``)."""
    prepare(demo, dev)
    _announce(host, port)
    if dev:
        from django.core.management import call_command

        # insecure_serving: the development server serves the static files even with DEBUG off.
        call_command(
            "runserver", f"{host}:{port}", use_reloader=False, use_threading=True, insecure_serving=True
        )
        return
    _gunicorn(gunicorn_options(host, port, workers, threads, timeout))


def _gunicorn(options: dict[str, Any]) -> None:
    from gunicorn.app.base import BaseApplication

    class ChuhaiApplication(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            from chuhai.web.wsgi import application

            return application

    ChuhaiApplication().run()


def worker() -> None:
    """Run the huey consumer (stock-file imports) until interrupted: first queue again (or fail) the
    jobs of workers that died, then take jobs (and repeat the recovery every minute)."""
    _setup()
    from django.core.management import call_command
    from django.db import connections

    from chuhai.web.imports import leases

    counts = leases.recover()
    leases.remove_stale_uploads()
    connections.close_all()
    print(f"Recovered import jobs: {counts['retried']} retried, {counts['failed']} failed", flush=True)
    call_command("run_huey")
