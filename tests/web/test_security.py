"""Hardened settings outside demo mode: HTTPS redirect and HSTS, CSP, cookie flags, ``no-store`` on
authenticated answers, the session idle timeout, the admin's sign-in throttled like the app's, the lock
per account and address, password similarity at every account creation, and no cross-tenant oracle
(another enterprise's USCC, another tenant's username)."""

from __future__ import annotations

import re
import time
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client

from chuhai.errors import Conflict, ValidationError
from chuhai.web.organisations import services as accounts
from chuhai.web.organisations.models import Membership
from chuhai.web.security import SEEN_KEY

from .conftest import make_uscc

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-password-1"


@pytest.fixture
def alice(make_org: Any) -> Any:
    return accounts.create_user(make_org(), "alice", PASSWORD, "admin")


def sign_in(address: str = "10.0.0.1", username: str = "alice", password: str = PASSWORD) -> Any:
    browser = Client(REMOTE_ADDR=address)
    response = browser.post("/app/login/", {"username": username, "password": password})
    return browser, response


# --- transport and headers --------------------------------------------------------------------------


def test_settings_are_hardened_outside_demo_mode() -> None:
    from django.conf import settings

    assert not settings.DEMO
    assert settings.SESSION_COOKIE_SECURE
    assert settings.CSRF_COOKIE_SECURE
    assert settings.SESSION_COOKIE_HTTPONLY
    assert settings.CSRF_COOKIE_HTTPONLY
    assert settings.SECURE_HSTS_SECONDS >= 31536000


def test_plain_http_is_redirected_to_https_unless_a_trusted_proxy_says_https(settings: Any) -> None:
    settings.SECURE_SSL_REDIRECT = True
    response = Client().get("/app/login/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/app/login/"
    # Probes stay on plain HTTP.
    assert Client().get("/healthz").status_code != 301
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    behind_proxy = Client().get("/app/login/", HTTP_X_FORWARDED_PROTO="https")
    assert behind_proxy.status_code == 200
    assert behind_proxy["Strict-Transport-Security"].startswith("max-age=31536000")


def test_content_security_policy_allows_only_this_site_and_the_nonce() -> None:
    response = Client().get("/app/login/", secure=True)
    policy = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert directives["default-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    html = response.content.decode()
    # Scripts come from this site; an inline script or style would need this response's nonce.
    nonce = re.search(r"'nonce-([^']+)'", directives["script-src"])
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag or (nonce and f'nonce="{nonce.group(1)}"' in tag), tag
    for tag in re.findall(r"<style[^>]*>", html):
        assert nonce, tag
        assert f'nonce="{nonce.group(1)}"' in tag, tag
    assert not re.search(r"\son[a-z]+=", html)  # no inline event handlers
    assert "unsafe-inline" not in policy


def test_cookies_are_secure_httponly_and_samesite(alice: Any) -> None:
    _browser, response = sign_in()
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] is True
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"
    csrf = Client().get("/app/login/").cookies["csrftoken"]
    assert csrf["secure"] is True
    assert csrf["httponly"] is True
    assert csrf["samesite"] == "Lax"


def test_authenticated_answers_are_never_stored(alice: Any, api_client: Any) -> None:
    anonymous = Client().get("/app/login/")
    assert "no-store" not in anonymous.get("Cache-Control", "")
    browser, _ = sign_in()
    for path in ("/app/", "/app/vehicles/", "/api/vehicles"):
        assert browser.get(path)["Cache-Control"] == "no-store", path
    from chuhai.web.cases.context import actor_for

    assert api_client(actor_for(alice)).get("/api/vehicles")["Cache-Control"] == "no-store"


def test_a_session_ends_after_the_idle_timeout(alice: Any, settings: Any) -> None:
    settings.SESSION_IDLE_SECONDS = 600
    browser, _ = sign_in()
    assert browser.get("/app/").status_code == 200
    session = browser.session
    session[SEEN_KEY] = int(time.time()) - 599
    session.save()
    assert browser.get("/app/").status_code == 200  # active within the timeout: still signed in
    session = browser.session
    session[SEEN_KEY] = int(time.time()) - 601
    session.save()
    idle = browser.get("/app/")
    assert idle.status_code == 302
    assert "/login/" in idle["Location"]
    assert browser.get("/app/").status_code == 302  # the session is gone, not just this request


# --- sign-in throttling -----------------------------------------------------------------------------


def test_the_admin_sign_in_is_throttled_like_the_apps(make_org: Any, settings: Any) -> None:
    settings.LOGIN_THROTTLE_MAX_FAILURES = 3
    staff = get_user_model().objects.create_user("operator", password=PASSWORD, is_staff=True)
    assert staff.pk
    browser = Client(REMOTE_ADDR="10.0.0.9")
    for _ in range(3):
        failed = browser.post("/admin/login/", {"username": "operator", "password": "wrong"})
        assert failed.status_code == 200  # the admin form again, with its error
    locked = browser.post("/admin/login/", {"username": "operator", "password": PASSWORD})
    assert locked.status_code == 429
    assert "_auth_user_id" not in browser.session
    # From another address the operator signs in.
    other = Client(REMOTE_ADDR="10.0.0.10")
    assert other.post("/admin/login/", {"username": "operator", "password": PASSWORD}).status_code == 302


def test_wrong_passwords_from_one_address_do_not_lock_the_account_for_everyone(
    alice: Any, settings: Any
) -> None:
    settings.LOGIN_THROTTLE_MAX_FAILURES = 5
    for _ in range(5):
        assert sign_in("203.0.113.7", password="wrong")[1].status_code == 401
    assert sign_in("203.0.113.7")[1].status_code == 429  # that address is locked for alice
    assert sign_in("10.0.0.1")[1].status_code == 302  # alice, at her desk, is not
    # Her success does not reset the guesser's count.
    assert sign_in("203.0.113.7")[1].status_code == 429


def test_one_address_trying_many_usernames_is_locked(make_org: Any, settings: Any) -> None:
    settings.LOGIN_THROTTLE_MAX_FAILURES = 2
    org = make_org()
    accounts.create_user(org, "bob", PASSWORD, "clerk")
    for n in range(8):  # 4 × the limit, each username below its own limit
        assert sign_in("198.51.100.1", username=f"guess{n}", password="wrong")[1].status_code == 401
    assert sign_in("198.51.100.1", username="bob")[1].status_code == 429
    assert sign_in("198.51.100.2", username="bob")[1].status_code == 302


def test_behind_trusted_proxies_the_forwarded_address_is_throttled(alice: Any, settings: Any) -> None:
    settings.LOGIN_THROTTLE_MAX_FAILURES = 2
    settings.TRUSTED_PROXY_HOPS = 1
    proxy = "10.9.9.9"

    def via_proxy(client_address: str, password: str) -> int:
        browser = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=f"1.1.1.1, {client_address}")
        return int(browser.post("/app/login/", {"username": "alice", "password": password}).status_code)

    assert via_proxy("203.0.113.50", "wrong") == 401
    assert via_proxy("203.0.113.50", "wrong") == 401
    assert via_proxy("203.0.113.50", PASSWORD) == 429
    # Everyone comes through the same proxy; another client is not locked.
    assert via_proxy("203.0.113.51", PASSWORD) == 302


# --- password similarity at every creation ----------------------------------------------------------

SIMILAR = ("wang.xiaoming", "wang.xiaoming1")  # username, password like it


def test_a_password_like_the_username_is_refused_by_the_service(make_org: Any) -> None:
    with pytest.raises(ValidationError, match="password"):
        accounts.create_user(make_org(), *SIMILAR, "clerk")
    assert not get_user_model().objects.filter(username=SIMILAR[0]).exists()


def test_a_password_like_the_username_is_refused_by_the_management_command(db: Any) -> None:
    with pytest.raises(CommandError, match="password"):
        call_command(
            "create_enterprise",
            "--name=某出口公司",
            f"--uscc={make_uscc(31337)}",
            "--kind=circulation",
            f"--admin={SIMILAR[0]}",
            f"--password={SIMILAR[1]}",
            stdout=StringIO(),
        )
    assert not get_user_model().objects.filter(username=SIMILAR[0]).exists()


def test_a_password_like_the_username_is_refused_on_the_users_page_and_the_api(
    alice: Any, api_client: Any
) -> None:
    from chuhai.web.cases.context import actor_for

    browser, _ = sign_in()
    page = browser.post(
        "/app/users/", {"username": SIMILAR[0], "password": SIMILAR[1], "role": "clerk"}, follow=True
    )
    assert page.status_code == 200
    assert not get_user_model().objects.filter(username=SIMILAR[0]).exists()
    answer = api_client(actor_for(alice)).post(
        "/api/users",
        {"username": SIMILAR[0], "password": SIMILAR[1], "role": "clerk"},
        content_type="application/json",
    )
    assert answer.status_code == 422
    assert "password" in answer.json()["message"]
    assert not get_user_model().objects.filter(username=SIMILAR[0]).exists()


def test_a_password_like_the_username_is_refused_by_the_admin(db: Any) -> None:
    get_user_model().objects.create_superuser("root-operator", password=PASSWORD)
    browser = Client()
    browser.force_login(get_user_model().objects.get(username="root-operator"))
    response = browser.post(
        "/admin/auth/user/add/",
        {"username": SIMILAR[0], "password1": SIMILAR[1], "password2": SIMILAR[1], "usable_password": "true"},
        secure=True,
    )
    assert response.status_code == 200  # the form again, with the validator's error
    assert not get_user_model().objects.filter(username=SIMILAR[0]).exists()


# --- no cross-tenant oracle -------------------------------------------------------------------------


def test_another_enterprises_uscc_is_refused_without_a_500_or_naming_it(
    make_org: Any, make_actor: Any, api_client: Any
) -> None:
    other = make_org(name="别家出口有限公司")
    mine = make_org()
    admin = make_actor(mine)
    api = api_client(admin)
    taken = api.patch(f"/api/enterprises/{mine.pk}", {"uscc": other.uscc}, content_type="application/json")
    assert taken.status_code == 409
    body = taken.content.decode()
    assert other.name not in body
    assert str(other.pk) not in taken.json()["message"]
    mine.refresh_from_db()
    assert mine.uscc != other.uscc
    # The same refusal on the enterprise page, not a 500.
    browser = Client()
    browser.force_login(admin.user)
    page = browser.post("/app/enterprise/edit/", {"uscc": other.uscc, "name": mine.name}, follow=True)
    assert page.status_code == 200
    mine.refresh_from_db()
    assert mine.uscc != other.uscc


def test_a_username_taken_elsewhere_is_refused_exactly_like_one_taken_at_home(
    make_org: Any, make_actor: Any, api_client: Any
) -> None:
    other = make_org(name="别家出口有限公司")
    accounts.create_user(other, "li.na", PASSWORD, "clerk")
    mine = make_org()
    admin = make_actor(mine)
    accounts.create_user(mine, "zhao.lei", PASSWORD, "clerk")
    api = api_client(admin)

    def create(username: str) -> Any:
        return api.post(
            "/api/users",
            {"username": username, "password": "another-long-pass-9", "role": "clerk"},
            content_type="application/json",
        )

    elsewhere, at_home = create("li.na"), create("zhao.lei")
    assert elsewhere.status_code == at_home.status_code == 409
    assert elsewhere.json() == at_home.json()
    assert other.name not in elsewhere.content.decode()
    assert Membership.objects.get(user__username="li.na").organisation == other
    with pytest.raises(Conflict):
        accounts.create_user(mine, "li.na", "another-long-pass-9", "clerk")
