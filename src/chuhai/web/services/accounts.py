"""Accounts: staff of an organisation, API tokens, the calendar-feed token and login throttling.

Tokens are random 32-byte strings shown once and stored only as SHA-256 digests. Login throttling is
database-backed (works across processes without a cache server): after
``LOGIN_THROTTLE_MAX_FAILURES`` failures for a username, or for a client address, within
``LOGIN_THROTTLE_WINDOW_SECONDS``, further attempts are refused until the window has passed.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from chuhai.errors import NotFound, ValidationError
from chuhai.web.organisations.models import ApiToken, LoginFailure, Membership, Organisation, Role, hash_token
from chuhai.web.services.context import Actor
from chuhai.web.services.transitions import record, snapshot

TOKEN_PREFIX = "chu_"  # noqa: S105 - a public prefix that marks Chuhai tokens, not a secret


def create_user(organisation: Organisation, username: str, password: str, role: str, email: str = "") -> Any:
    """A staff account of an organisation (used by the admin role, the demo and management commands)."""
    if role not in Role.values:
        raise ValidationError(f"role: expected one of {', '.join(Role.values)}")
    user_model = get_user_model()
    with transaction.atomic():
        user = user_model.objects.create_user(username=username, password=password, email=email)
        Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


def add_staff(actor: Actor, username: str, password: str, role: str, email: str = "") -> Any:
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError as DjangoValidationError

    actor.require("manage")
    try:
        validate_password(password)
    except DjangoValidationError as exc:
        raise ValidationError("password: " + " ".join(exc.messages)) from None
    user = create_user(actor.organisation, username, password, role, email)
    record(actor, user.membership, "staff.create", {}, snapshot(user.membership))
    return user


def issue_token(user: Any, name: str) -> tuple[ApiToken, str]:
    """A new API token for a user; the raw token is returned once and never stored."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name or "api", prefix=raw[:12], key_hash=hash_token(raw))
    return token, raw


def authenticate_token(raw: str) -> Any | None:
    """The active user a bearer token belongs to, or ``None``."""
    if not raw or not raw.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_token(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def revoke_token(actor: Actor, token_id: int) -> None:
    """A user revokes their own tokens; an admin any token of the organisation."""
    actor.require("view")
    tokens = ApiToken.objects.filter(pk=token_id, revoked_at__isnull=True)
    if actor.can("manage"):
        tokens = tokens.filter(user__membership__organisation=actor.organisation)
    else:
        tokens = tokens.filter(user=actor.user)
    if not tokens.update(revoked_at=timezone.now()):
        raise NotFound(f"token {token_id} not found")


def rotate_feed_token(actor: Actor) -> str:
    """A new secret for the organisation's iCalendar feed URL (the old URL stops working)."""
    actor.require("manage")
    raw = secrets.token_urlsafe(24)
    Organisation.objects.filter(pk=actor.organisation.pk).update(feed_token_hash=hash_token(raw))
    actor.organisation.feed_token_hash = hash_token(raw)
    return raw


def organisation_for_feed(raw: str) -> Organisation | None:
    if not raw:
        return None
    return Organisation.objects.filter(feed_token_hash=hash_token(raw)).exclude(feed_token_hash="").first()


# --- login throttling -------------------------------------------------------------------------------


def _window_start() -> dt.datetime:
    return timezone.now() - dt.timedelta(seconds=settings.LOGIN_THROTTLE_WINDOW_SECONDS)


def login_locked(username: str, address: str) -> bool:
    recent = LoginFailure.objects.filter(at__gte=_window_start())
    limit = settings.LOGIN_THROTTLE_MAX_FAILURES
    by_user = recent.filter(username=username.lower()).count() >= limit
    by_address = bool(address) and recent.filter(address=address).count() >= limit * 4
    return by_user or by_address


def login_failed(username: str, address: str) -> None:
    LoginFailure.objects.create(username=username.lower()[:150], address=address[:64], at=timezone.now())
    # Keep the table small: forget failures older than the window.
    LoginFailure.objects.filter(at__lt=_window_start()).delete()


def login_succeeded(username: str) -> None:
    LoginFailure.objects.filter(Q(username=username.lower())).delete()
