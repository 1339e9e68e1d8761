"""Entry points ``chuhai serve`` and ``chuhai worker`` call (wired in ``chuhai.cli``).

``serve`` is the embedded mode: it migrates the database (SQLite in ``CHUHAI_DATA_DIR`` unless
``DATABASE_URL`` says otherwise), optionally loads the demo enterprise, prints the address and the demo
logins, and starts Django's development server. Import jobs run in the worker (``chuhai worker``); with
``CHUHAI_HUEY_IMMEDIATE=1`` they run inside the web process instead (single-user convenience).
For production, run ``chuhai.web.wsgi:application`` under a WSGI server and ``chuhai worker`` beside it.
"""

from __future__ import annotations

import os


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chuhai.web.settings")
    import django

    django.setup()


def serve(host: str, port: int, demo: bool) -> None:
    """Migrate, optionally load the demo, print where to go and who to sign in as, and serve."""
    # The embedded server speaks plain HTTP on localhost: secure-only cookies would never be sent back.
    os.environ.setdefault("CHUHAI_INSECURE_COOKIES", "1")
    _setup()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    # A local law directory edited while the app was down, or a new release: screen the stock again.
    call_command("law_update")
    if demo:
        call_command("load_demo")
    shown_host = "localhost" if host in {"0.0.0.0", "::", "127.0.0.1"} else host  # noqa: S104
    print(
        f"Chuhai is running at http://{shown_host}:{port}/app/  (API docs: http://{shown_host}:{port}/api/docs)"
    )
    print(f"Data directory: {settings.DATA_DIR}")
    if not settings.HUEY.get("immediate"):
        print("Stock-file imports run in the worker: start `chuhai worker` in another terminal.")
    # insecure_serving: let the embedded server serve the admin's static files even with DEBUG off.
    call_command("runserver", f"{host}:{port}", use_reloader=False, use_threading=True, insecure_serving=True)


def worker() -> None:
    """Run the huey consumer (stock-file imports) until interrupted."""
    _setup()
    from django.core.management import call_command

    call_command("run_huey")
