"""Accounts: staff of an organisation, API tokens, the calendar-feed token and login throttling.

An administrator manages the organisation's staff: adds accounts, changes a member's role,
deactivates and reactivates an account and sets a new password. Accounts are never deleted: the
audit trail names the people who acted (``AuditEvent.actor`` is PROTECT). A deactivated account
cannot sign in (Django's ``ModelBackend`` refuses inactive users, also for an existing session) and
its API tokens are revoked. An organisation always keeps at least one active administrator: a change
that would leave none is refused (:data:`LAST_ADMINISTRATOR`), for oneself too.

Tokens are random 32-byte strings shown once and stored only as SHA-256 digests. Login throttling is
database-backed (works across processes without a cache server): after
``LOGIN_THROTTLE_MAX_FAILURES`` failures for a username from one client address (or four times as many
from one address in all) within ``LOGIN_THROTTLE_WINDOW_SECONDS``, further attempts from that address
are refused until the window has passed; the account stays open to everyone else.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from chuhai.errors import Conflict, NotFound, TransitionRefused, ValidationError
from chuhai.web.cases.context import Actor, scoped
from chuhai.web.cases.transitions import record, snapshot
from chuhai.web.organisations.models import ApiToken, LoginFailure, Membership, Organisation, Role, hash_token

LAST_ADMINISTRATOR = "staff.last_administrator"
TOKEN_PREFIX = "chu_"  # noqa: S105 - a public prefix that marks Chuhai tokens, not a secret


USERNAME_UNAVAILABLE = "username: not available, choose another"


def create_user(organisation: Organisation, username: str, password: str, role: str, email: str = "") -> Any:
    """A staff account of an organisation, for every path that creates one (the organisation's user
    pages and API, the demo, the management commands).

    The password is checked by every validator of ``AUTH_PASSWORD_VALIDATORS`` against the new account
    (so one like its username or e-mail address is refused). Sign-in names are unique across the whole
    service: a taken one is refused with the same words whoever holds it, naming no one.
    """
    if role not in Role.values:
        raise ValidationError(f"role: expected one of {', '.join(Role.values)}")
    user_model = get_user_model()
    if not username:
        raise ValidationError("username: required")
    _checked_password(password, user_model(username=username, email=email))
    if user_model.objects.filter(username=username).exists():
        raise Conflict(USERNAME_UNAVAILABLE)
    try:
        with transaction.atomic():
            user = user_model.objects.create_user(username=username, password=password, email=email)
            Membership.objects.create(user=user, organisation=organisation, role=role)
    except IntegrityError:  # taken at the same moment by a concurrent request
        raise Conflict(USERNAME_UNAVAILABLE) from None
    return user


def add_staff(actor: Actor, username: str, password: str, role: str, email: str = "") -> Any:
    actor.require("manage")
    user = create_user(actor.organisation, username, password, role, email)
    record(actor, user.membership, "staff.create", {}, snapshot(user.membership))
    return user


def _checked_password(password: str, user: Any = None) -> None:
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError as DjangoValidationError

    try:
        validate_password(password, user)
    except DjangoValidationError as exc:
        raise ValidationError("password: " + " ".join(exc.messages)) from None


def staff_snapshot(membership: Membership) -> dict[str, Any]:
    """What the audit trail records of a member: who, the role and whether the account is active."""
    return {
        "user_id": membership.user_id,
        "username": membership.user.get_username(),
        "role": membership.role,
        "is_active": membership.user.is_active,
    }


def member(actor: Actor, user_id: Any) -> Membership:
    """The locked membership of a user of the actor's organisation (``NotFound`` for anyone else).

    The organisation's row is locked first: staff changes of one organisation run one after the other.
    Locking only the memberships would take them in a different order in two concurrent changes (each
    its target, then all administrators) and PostgreSQL would abort one of them as a deadlock.
    """
    Organisation.objects.select_for_update().only("pk").get(pk=actor.organisation.pk)
    try:
        return (
            scoped(actor, Membership, "manage")
            .select_for_update()
            .select_related("user")
            .get(user_id=int(user_id))
        )
    except (Membership.DoesNotExist, ValueError, TypeError):
        raise NotFound(f"user {user_id} not found") from None


def _keep_an_administrator(actor: Actor, membership: Membership) -> None:
    """Refuse a change that leaves the organisation without an active administrator.

    Every administrator membership of the organisation is locked first, so two administrators demoting
    each other at the same moment cannot both succeed (PostgreSQL; SQLite serialises writes anyway).
    """
    admins = list(
        scoped(actor, Membership, "manage")
        .select_for_update()
        .filter(role=Role.ADMIN, user__is_active=True)
        .values_list("pk", flat=True)
    )
    if membership.role == Role.ADMIN and membership.user.is_active and admins == [membership.pk]:
        raise TransitionRefused(
            f"{membership.user.get_username()} is the organisation's last active administrator; "
            "make another member administrator first",
            (LAST_ADMINISTRATOR,),
        )


def change_role(actor: Actor, user_id: Any, role: str) -> Membership:
    """Give a member another role (audited: who, role before and after)."""
    if role not in Role.values:
        raise ValidationError(f"role: expected one of {', '.join(Role.values)}, got {role!r}")
    with transaction.atomic():
        membership = member(actor, user_id)
        if membership.role == role:
            return membership
        if role != Role.ADMIN:
            _keep_an_administrator(actor, membership)
        before = staff_snapshot(membership)
        membership.role = role
        membership.save(update_fields=["role"])
        record(actor, membership, "staff.role", before, staff_snapshot(membership))
    return membership


def deactivate(actor: Actor, user_id: Any) -> Membership:
    """Close an account: it can no longer sign in and its API tokens are revoked. Never deleted."""
    with transaction.atomic():
        membership = member(actor, user_id)
        user = membership.user
        if not user.is_active:
            return membership
        _keep_an_administrator(actor, membership)
        before = {**staff_snapshot(membership), "tokens_revoked": 0}
        user.is_active = False
        user.save(update_fields=["is_active"])
        revoked = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        after = {**staff_snapshot(membership), "tokens_revoked": revoked}
        record(actor, membership, "staff.deactivate", before, after)
    return membership


def reactivate(actor: Actor, user_id: Any) -> Membership:
    """Open a deactivated account again (its old API tokens stay revoked: the person issues new ones)."""
    with transaction.atomic():
        membership = member(actor, user_id)
        user = membership.user
        if user.is_active:
            return membership
        before = staff_snapshot(membership)
        user.is_active = True
        user.save(update_fields=["is_active"])
        record(actor, membership, "staff.reactivate", before, staff_snapshot(membership))
    return membership


def set_password(actor: Actor, user_id: Any, password: str) -> Membership:
    """An administrator sets a member's new password (validated like a new account's). The member's
    open sessions end (Django checks the password hash on every request); the audit event says that
    the password was set, never the password."""
    with transaction.atomic():
        membership = member(actor, user_id)
        user = membership.user
        _checked_password(password, user)
        user.set_password(password)
        user.save(update_fields=["password"])
        record(actor, membership, "staff.password", {"password_set": False}, {"password_set": True})
    return membership


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
    """Whether sign-ins for ``username`` from ``address`` are refused for now.

    The lock is per account *and* address: ``LOGIN_THROTTLE_MAX_FAILURES`` failures for one username
    from one address lock that pair only, so someone guessing from elsewhere cannot lock a colleague
    out. One address trying many usernames is locked after four times as many failures in all.
    """
    recent = LoginFailure.objects.filter(at__gte=_window_start())
    limit = settings.LOGIN_THROTTLE_MAX_FAILURES
    by_pair = recent.filter(username=username.lower()[:150], address=address[:64]).count() >= limit
    by_address = bool(address) and recent.filter(address=address[:64]).count() >= limit * 4
    return by_pair or by_address


def login_failed(username: str, address: str) -> None:
    LoginFailure.objects.create(username=username.lower()[:150], address=address[:64], at=timezone.now())
    # Keep the table small: forget failures older than the window.
    LoginFailure.objects.filter(at__lt=_window_start()).delete()


def login_succeeded(username: str, address: str) -> None:
    """Forget the failures of this account from this address (not those from elsewhere: a guesser at
    another address keeps their count)."""
    LoginFailure.objects.filter(Q(username=username.lower()[:150]) & Q(address=address[:64])).delete()
