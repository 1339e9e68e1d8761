"""Authorisation matrix: every role × every endpoint (API and pages) × own / other organisation.

The endpoints are enumerated from the ninja router and the URL resolver, so a new endpoint is in the
matrix automatically, and one that declares no capability fails here. Each request runs inside a
savepoint that is rolled back, so one role's DELETE does not change what the next role sees.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, get_resolver

from chuhai.web.aftersales.models import ConfirmationLetter, ExportContract, ServiceOutlet
from chuhai.web.api.api import api
from chuhai.web.cases.context import CAPABILITIES
from chuhai.web.customs.models import CustomsDeclaration
from chuhai.web.imports.models import ImportJob
from chuhai.web.licences.models import LicenceApplication, LicenceLine
from chuhai.web.organisations.models import EnterpriseFiling, Organisation, OrgKind, Seller
from chuhai.web.organisations.services import create_user, issue_token
from chuhai.web.vehicles.models import Vehicle

from .conftest import TODAY, make_vin

pytestmark = pytest.mark.django_db

ROLES = ("admin", "compliance", "clerk", "readonly", "platform")

# A transition name per case that the capability of its endpoint allows (so "own" requests reach the
# service instead of being refused by a stricter transition permission).
TRANSITION_NAMES = {
    "vehicle": "withdraw",
    "licence": "submit",
    "declaration": "cancel",
    "filing": "submit",
    "letter": "receive",
}


def _api_operations() -> list[tuple[str, str, Any]]:
    ops = []
    for _prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                for method in operation.methods:
                    ops.append((method, path, operation.view_func))
    return ops


API_OPERATIONS = _api_operations()


def _objects(org: Any, user: Any) -> dict[str, Any]:
    vehicle = Vehicle.objects.create(
        organisation=org, vin=make_vin("LGX", org.pk * 100 + 1), state="in_licence"
    )
    licence = LicenceApplication.objects.create(organisation=org, destination="KZ")
    LicenceLine.objects.create(licence=licence, vehicle=vehicle, commodity_code="8703229090", slot=1)
    declaration = CustomsDeclaration.objects.create(organisation=org, licence=licence)
    job = ImportJob(organisation=org, original_name="x.csv", as_of=TODAY)
    job.file.save("x.csv", ContentFile(b"vin\n"), save=False)
    job.save()
    token, _raw = issue_token(user, "matrix")
    return {
        "vehicle_id": vehicle.pk,
        "licence_id": licence.pk,
        "declaration_id": declaration.pk,
        "filing_id": EnterpriseFiling.objects.create(organisation=org).pk,
        "seller_id": Seller.objects.create(organisation=org, name="王").pk,
        "contract_id": ExportContract.objects.create(
            organisation=org, number="C", buyer="B", destination="KZ", signed_on=TODAY
        ).pk,
        "outlet_id": ServiceOutlet.objects.create(
            organisation=org, country="KZ", address="a", provider="p"
        ).pk,
        "letter_id": ConfirmationLetter.objects.create(
            organisation=org, licence=licence, manufacturer="M", requested_on=TODAY
        ).pk,
        "job_id": job.pk,
        "token_id": token.pk,
        "user_id": user.pk,
        "enterprise_id": org.pk,
        "document": "licence-data.xlsx",  # a generated document of the licence
    }


@pytest.fixture
def world(make_org: Any) -> dict[str, Any]:
    own, other = make_org(), make_org()
    platform = Organisation.objects.create(kind=OrgKind.PLATFORM, name="Chuhai platform")
    users = {role: create_user(own, f"own-{role}", "pw-for-tests-1234", role) for role in ROLES[:-1]}
    users["platform"] = create_user(platform, "platform-staff", "pw-for-tests-1234", "readonly")
    other_user = create_user(other, "other-admin", "pw-for-tests-1234", "admin")
    tokens = {role: issue_token(user, "t") for role, user in users.items()}
    clients = {role: Client(HTTP_AUTHORIZATION=f"Bearer {raw}") for role, (_t, raw) in tokens.items()}
    from chuhai.web.lawbook.models import LawChange

    # A change of the law is global (every enterprise sees it, limited to its own vehicles).
    change = LawChange.objects.create(
        actor_label="system", cause="notice", before_version="a", after_version="b"
    )
    return {
        "own": {**_objects(own, users["admin"]), "change_id": change.pk},
        "other": _objects(other, other_user),
        "clients": clients,
        "users": users,
        "tokens": {role: token.pk for role, (token, _raw) in tokens.items()},
    }


def _fill(path: str, ids: dict[str, Any], own_token: int | None = None) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "name":
            return TRANSITION_NAMES[path.strip("/").split("/")[0].rstrip("s")]
        if name == "token_id" and own_token is not None:
            return str(own_token)  # tokens are personal: "own" is the caller's own token
        return str(ids[name])

    return "/api" + re.sub(r"\{(\w+)\}", value, path)


# Bodies that pass schema validation, so that "other organisation" requests reach the object lookup.
BODIES = {
    ("POST", "/licences/{licence_id}/vehicles"): lambda ids: {"vehicle_id": ids["vehicle_id"]},
    ("POST", "/users/{user_id}/password"): lambda ids: {"password": "a-new-password-for-tests-7"},
    ("POST", "/users"): lambda ids: {"username": "matrix-new", "password": "a-new-password-for-tests-7"},
}


def _call(client: Client, method: str, url: str, body: dict[str, Any] | None = None) -> int:
    with transaction.atomic():
        call = getattr(client, method.lower())
        if method in {"POST", "PATCH", "PUT"}:
            response = call(url, json.dumps(body or {}), content_type="application/json")
        else:
            response = call(url)
        transaction.set_rollback(True)
    return int(response.status_code)


def test_every_endpoint_declares_a_capability() -> None:
    missing = [
        f"{m} {p}" for m, p, view in API_OPERATIONS if getattr(view, "capability", None) not in CAPABILITIES
    ]
    assert missing == []
    assert len(API_OPERATIONS) > 50


@pytest.mark.parametrize(
    ("method", "path"), [(m, p) for m, p, _ in API_OPERATIONS], ids=[f"{m} {p}" for m, p, _ in API_OPERATIONS]
)
def test_api_matrix(world: dict[str, Any], method: str, path: str) -> None:
    view = next(v for m, p, v in API_OPERATIONS if m == method and p == path)
    capability = view.capability
    has_ids = "{" in path
    for role in ROLES:
        allowed = role != "platform" and role in CAPABILITIES[capability]
        body = BODIES.get((method, path), lambda ids: {})
        own = _call(
            world["clients"][role],
            method,
            _fill(path, world["own"], world["tokens"][role]),
            body(world["own"]),
        )
        if not allowed:
            assert own == 403, (role, method, path, own)
        else:
            assert own not in (401, 403, 404, 500), (role, method, path, own)
        if has_ids:
            other = _call(world["clients"][role], method, _fill(path, world["other"]), body(world["other"]))
            assert other == (404 if allowed else 403), (role, method, path, other)
    anonymous = _call(Client(), method, _fill(path, world["own"]))
    assert anonymous == 401


def test_lists_show_only_own_organisation(world: dict[str, Any]) -> None:
    client = world["clients"]["readonly"]
    own = world["own"]
    for url, key in (
        ("/api/vehicles", "vehicle_id"),
        ("/api/licences", "licence_id"),
        ("/api/declarations", "declaration_id"),
        ("/api/sellers", "seller_id"),
        ("/api/contracts", "contract_id"),
        ("/api/outlets", "outlet_id"),
        ("/api/letters", "letter_id"),
    ):
        items = client.get(url).json()["items"]
        assert [i["id"] for i in items] == [own[key]], url
    assert [e["id"] for e in client.get("/api/enterprises").json()] == [own["enterprise_id"]]
    assert [j["id"] for j in client.get("/api/imports").json()["items"]] == [own["job_id"]]


# --- pages ----------------------------------------------------------------------------------------


def test_feed_token_is_the_only_key_to_the_feed(world: dict[str, Any], today: dt.date) -> None:
    from chuhai.web.cases.context import actor_for
    from chuhai.web.organisations.services import rotate_feed_token

    raw = rotate_feed_token(actor_for(world["users"]["admin"]))
    assert Client().get(f"/app/deadlines/feed/{raw}.ics").status_code == 200
    assert Client().get(f"/deadlines/feed/{raw}.ics").status_code == 200  # the retired portal's address
    assert Client().get("/app/deadlines/feed/guess.ics").status_code == 404
    assert Client().get("/deadlines/feed/guess.ics").status_code == 404


# --- the web app's pages (/app/) ------------------------------------------------------------------

UI_PUBLIC = {"ui:login", "ui:logout", "ui:language", "ui:asset", "ui:deadline_feed"}
# Pages of the site administrator (Django staff) alone: no enterprise role may use them
# (chuhai.web.lawbook: the law is shared by every enterprise).
SITE_ADMIN = "site_admin"
# Pages of global objects (not owned by an organisation): no "other organisation" case.
UI_GLOBAL = {"ui:rule", "ui:law_change"}
# Values for the URL arguments that are not object ids: a step, an action, a rule.
UI_NAMES = {
    "ui:vehicle_transition": {"name": "withdraw"},
    "ui:licence_action": {"action": "submit"},
    "ui:declaration_action": {"action": "cancel"},
    "ui:enterprise_action": {"action": "new_filing"},
    "ui:contract_action": {"action": "edit"},
    "ui:user_action": {"action": "role"},
    "ui:rule": {"rule_id": "vehicle.encumbered"},
}


def _ui_pages() -> list[tuple[str, Any, list[str]]]:
    resolver = get_resolver()
    pages = []
    for pattern in resolver.url_patterns:
        if getattr(pattern, "namespace", None) == "ui":
            for sub in pattern.url_patterns:
                assert isinstance(sub, URLPattern)
                pages.append((f"ui:{sub.name}", sub.callback, list(sub.pattern.converters)))
    return pages


UI_PAGES = _ui_pages()


def test_every_app_page_is_public_or_declares_a_capability() -> None:
    missing = [
        name
        for name, view, _args in UI_PAGES
        if name not in UI_PUBLIC and getattr(view, "capability", None) not in {*CAPABILITIES, SITE_ADMIN}
    ]
    assert missing == []
    names = {name for name, _view, _args in UI_PAGES}
    assert {"ui:user_action", "ui:contract_action", "ui:outlet_create", "ui:vehicle_correct"} <= names


def _audit_count(org_id: int) -> int:
    from chuhai.web.audit.models import AuditEvent

    return AuditEvent.objects.filter(organisation_id=org_id).count()


@pytest.mark.parametrize("name", [n for n, _v, _a in UI_PAGES if n not in UI_PUBLIC])
def test_app_page_matrix(world: dict[str, Any], name: str) -> None:
    """Every page and form target of the app, for every role: refused (403) without the capability;
    with it, the own organisation's page answers and another organisation's object is not found (a
    page) or left untouched (a form target: nothing is written to that organisation's audit trail)."""
    from django.urls import reverse

    view, args = next((v, a) for n, v, a in UI_PAGES if n == name)
    other_org = Organisation.objects.get(pk=world["other"]["enterprise_id"])

    def url(target: str) -> str:
        ids = world[target]
        kwargs = {arg: UI_NAMES.get(name, {}).get(arg, ids.get(arg)) for arg in args}
        return reverse(name, kwargs=kwargs)

    admin = Client()
    admin.force_login(world["users"]["admin"])
    with transaction.atomic():
        method = "post" if admin.get(url("own")).status_code == 405 else "get"
        transaction.set_rollback(True)
    anonymous = getattr(Client(), method)(url("own"))
    assert anonymous.status_code == 302, name
    assert "/login/" in anonymous["Location"], name
    targets = ("own", "other") if args and name not in UI_GLOBAL else ("own",)
    for role in ROLES:
        client = Client()
        client.force_login(world["users"][role])
        allowed = role != "platform" and role in CAPABILITIES.get(view.capability, frozenset())
        for target in targets:
            before = _audit_count(other_org.pk)
            with transaction.atomic():
                status = getattr(client, method)(url(target)).status_code
                after = _audit_count(other_org.pk)
                transaction.set_rollback(True)
            if not allowed:
                assert status == 403, (role, name, target, status)
            elif target == "own":
                assert status in (200, 302), (role, name, status)
            elif method == "get":
                assert status == 404, (role, name, status)
            else:
                assert status in (302, 404), (role, name, status)
                assert after == before, (role, name, "wrote to another organisation's audit trail")
