"""Pages: sign-in with throttling and CSRF, dashboard, language and direction."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def user(make_org: Any) -> Any:
    from chuhai.web.organisations.services import create_user

    return create_user(make_org(), "alice", "a-long-password-1", "clerk")


def test_sign_in_and_out(user: Any) -> None:
    browser = Client(enforce_csrf_checks=True)
    page = browser.get("/app/login/")
    assert page.status_code == 200
    assert 'name="csrfmiddlewaretoken"' in page.content.decode()
    token = browser.cookies["csrftoken"].value
    assert (
        browser.post("/app/login/", {"username": "alice", "password": "a-long-password-1"}).status_code == 403
    )
    signed_in = browser.post(
        "/app/login/", {"username": "alice", "password": "a-long-password-1", "csrfmiddlewaretoken": token}
    )
    assert signed_in.status_code == 302
    assert signed_in["Location"] == "/app/"
    dashboard = browser.get("/app/")
    assert dashboard.status_code == 200
    assert "alice" in dashboard.content.decode()
    token = browser.cookies["csrftoken"].value
    assert browser.post("/app/logout/", {"csrfmiddlewaretoken": token}).status_code == 302
    assert browser.get("/").status_code == 302


def test_login_is_throttled(user: Any, settings: Any) -> None:
    settings.LOGIN_THROTTLE_MAX_FAILURES = 3
    browser = Client()
    for _ in range(3):
        assert browser.post("/app/login/", {"username": "alice", "password": "wrong"}).status_code == 401
    locked = browser.post("/app/login/", {"username": "alice", "password": "a-long-password-1"})
    assert locked.status_code == 429
    assert browser.get("/").status_code == 302  # still signed out


def test_open_redirect_is_refused(user: Any) -> None:
    response = Client().post(
        "/app/login/?next=https://evil.example/", {"username": "alice", "password": "a-long-password-1"}
    )
    assert response["Location"] == "/app/"


@pytest.mark.parametrize(
    ("language", "direction"), [("zh-hans", "ltr"), ("en", "ltr"), ("ar", "rtl"), ("ru", "ltr")]
)
def test_base_template_sets_lang_and_dir(user: Any, language: str, direction: str) -> None:
    browser = Client(HTTP_ACCEPT_LANGUAGE=language)
    html = browser.get("/app/login/").content.decode()
    assert f'lang="{language}"' in html
    assert f'dir="{direction}"' in html


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/portal/", "/app/"),
        ("/login/?next=/app/vehicles/", "/app/login/?next=/app/vehicles/"),
        ("/deadlines/", "/app/deadlines/"),
        ("/imports/", "/app/imports/"),
        ("/imports/7/", "/app/imports/7/"),
        ("/imports/7/errors/?format=xlsx", "/app/imports/7/errors/?format=xlsx"),
        ("/documents/licences/3/package.zip?lang2=ru", "/app/licences/3/documents/package.zip?lang2=ru"),
        ("/documents/vehicles/5/dossier.pdf?lang=ar", "/app/vehicles/5/dossier.pdf?lang=ar"),
    ],
)
def test_retired_portal_addresses_redirect_into_the_app(old: str, new: str) -> None:
    response = Client().get(old)
    assert response.status_code == 301
    assert response["Location"] == new
