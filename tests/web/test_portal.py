"""Pages: sign-in with throttling and CSRF, dashboard, language and direction."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def user(make_org: Any) -> Any:
    from chuhai.web.services.accounts import create_user

    return create_user(make_org(), "alice", "a-long-password-1", "clerk")


def test_sign_in_and_out(user: Any) -> None:
    browser = Client(enforce_csrf_checks=True)
    page = browser.get("/login/")
    assert page.status_code == 200
    assert 'name="csrfmiddlewaretoken"' in page.content.decode()
    token = browser.cookies["csrftoken"].value
    assert browser.post("/login/", {"username": "alice", "password": "a-long-password-1"}).status_code == 403
    signed_in = browser.post(
        "/login/", {"username": "alice", "password": "a-long-password-1", "csrfmiddlewaretoken": token}
    )
    assert signed_in.status_code == 302
    assert signed_in["Location"] == "/app/"
    dashboard = browser.get("/portal/")
    assert dashboard.status_code == 200
    assert "alice" in dashboard.content.decode()
    token = browser.cookies["csrftoken"].value
    assert browser.post("/logout/", {"csrfmiddlewaretoken": token}).status_code == 302
    assert browser.get("/").status_code == 302


def test_login_is_throttled(user: Any, settings: Any) -> None:
    settings.LOGIN_THROTTLE_MAX_FAILURES = 3
    browser = Client()
    for _ in range(3):
        assert browser.post("/login/", {"username": "alice", "password": "wrong"}).status_code == 401
    locked = browser.post("/login/", {"username": "alice", "password": "a-long-password-1"})
    assert locked.status_code == 429
    assert browser.get("/").status_code == 302  # still signed out


def test_open_redirect_is_refused(user: Any) -> None:
    response = Client().post(
        "/login/?next=https://evil.example/", {"username": "alice", "password": "a-long-password-1"}
    )
    assert response["Location"] == "/app/"


@pytest.mark.parametrize(
    ("language", "direction"), [("zh-hans", "ltr"), ("en", "ltr"), ("ar", "rtl"), ("ru", "ltr")]
)
def test_base_template_sets_lang_and_dir(user: Any, language: str, direction: str) -> None:
    browser = Client(HTTP_ACCEPT_LANGUAGE=language)
    html = browser.get("/login/").content.decode()
    assert f'lang="{language}"' in html
    assert f'dir="{direction}"' in html
