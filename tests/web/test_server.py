"""`chuhai serve` runs the real server: gunicorn worker processes on a free port, static files from
WhiteNoise with hashed names and far-future caching, over real HTTP (urllib, no Django test client)."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    base: str
    process: subprocess.Popen[bytes]
    log: Path

    def get(self, path: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
        """One real request; redirects are not followed (the answer is what the server said)."""

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args: object, **kwargs: object) -> None:
                return None

        opener = urllib.request.build_opener(NoRedirect)
        request = urllib.request.Request(self.base + path, headers=headers or {})
        try:
            with opener.open(request, timeout=20) as response:
                return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, {k.lower(): v for k, v in exc.headers.items()}, exc.read()


def start_server(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> Server:
    port = free_port()
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("CHUHAI_", "DATABASE_URL", "DJANGO_"))
    }
    environment |= {
        "CHUHAI_DATA_DIR": str(tmp_path / "data"),
        "CHUHAI_SECRET_KEY": "tests-only-not-secret",
        **(env or {}),
    }
    log = tmp_path / "server.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "chuhai.cli", "serve", "--port", str(port), "--workers", "2", *args],
        env=environment,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    server = Server(f"http://127.0.0.1:{port}", process, log)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server exited with {process.returncode}:\n{log.read_text()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            time.sleep(0.3)
    stop_server(server)
    pytest.fail(f"the server did not listen within 120 s:\n{log.read_text()}")


def stop_server(server: Server) -> None:
    if server.process.poll() is None:
        os.killpg(server.process.pid, signal.SIGTERM)
        try:
            server.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.process.pid, signal.SIGKILL)
            server.process.wait()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    # Behind a TLS-terminating proxy that says so in X-Forwarded-Proto (the documented production shape).
    running = start_server(
        tmp_path_factory.mktemp("serve"), env={"CHUHAI_PROXY_SSL_HEADER": "X-Forwarded-Proto"}
    )
    yield running
    stop_server(running)


HTTPS = {"X-Forwarded-Proto": "https"}


def test_serve_runs_gunicorn_and_serves_the_login_page(server: Server) -> None:
    status, headers, body = server.get("/app/login/", HTTPS)
    assert status == 200, body[:500]
    assert headers["server"].startswith("gunicorn")
    assert b'name="password"' in body
    # The log says which server is listening (not Django's development server).
    assert "Listening at" in server.log.read_text()
    assert "development server" not in server.log.read_text()


def test_static_files_are_hashed_compressed_and_cached_for_a_year(server: Server) -> None:
    _status, _headers, body = server.get("/app/login/", HTTPS)
    stylesheet = re.search(rb'href="(/static/ui/ui\.[0-9a-f]{12}\.css)"', body)
    assert stylesheet, body[:2000]
    status, headers, css = server.get(stylesheet.group(1).decode(), {"Accept-Encoding": "gzip", **HTTPS})
    assert status == 200
    assert headers["content-type"].startswith("text/css")
    assert "max-age=315360000" in headers["cache-control"]
    assert "immutable" in headers["cache-control"]
    assert headers.get("content-encoding") == "gzip"
    assert css[:2] == b"\x1f\x8b"
    # A name without its hash is served too, but only briefly cached (it may change on upgrade).
    status, headers, _ = server.get("/static/ui/ui.css", HTTPS)
    assert status == 200
    assert "immutable" not in headers["cache-control"]
    assert server.get("/static/ui/missing.css", HTTPS)[0] == 404


def test_dev_server_only_behind_the_dev_flag() -> None:
    from click.testing import CliRunner

    from chuhai.cli import main

    help_text = CliRunner().invoke(main, ["serve", "--help"]).output
    assert "--dev" in help_text
    assert "gunicorn" in help_text


def test_the_real_server_redirects_plain_http_and_sends_the_hardened_headers(server: Server) -> None:
    status, headers, _ = server.get("/app/login/")
    assert status == 301
    assert headers["location"].startswith("https://")
    status, headers, _ = server.get("/app/login/", HTTPS)
    assert status == 200
    assert headers["strict-transport-security"].startswith("max-age=31536000")
    assert "default-src 'self'" in headers["content-security-policy"]
    cookie = headers["set-cookie"]
    assert "Secure" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_the_real_server_logs_json_lines_with_the_request_id_and_answers_the_probes(server: Server) -> None:
    import json

    status, headers, _ = server.get("/app/login/", {**HTTPS, "X-Request-ID": "probe-id-77"})
    assert status == 200
    assert headers["x-request-id"] == "probe-id-77"
    # The probes answer over plain HTTP (no HTTPS redirect inside the network).
    assert server.get("/healthz")[0] == 200
    status, _, body = server.get("/readyz")
    assert status == 200, body
    assert json.loads(body)["checks"] == {"database": "ok", "migrations": "ok", "queue": "ok"}
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        lines = [
            json.loads(line)
            for line in server.log.read_text().splitlines()
            if line.startswith("{")  # the lines printed by `chuhai serve` itself are for people
        ]
        mine = [line for line in lines if line.get("request_id") == "probe-id-77"]
        if mine:
            break
        time.sleep(0.2)
    assert mine[0]["logger"] == "chuhai.request"
    assert mine[0]["status"] == 200
    # gunicorn's own lines are JSON too.
    assert any(line["logger"] == "gunicorn.error" for line in lines)
