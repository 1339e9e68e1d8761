"""Request and response schemas of the organisation area in the REST API (account, tokens, staff,
enterprises, filings, sellers).
"""

from __future__ import annotations

import datetime as dt

from ninja import Schema


class MeOut(Schema):
    username: str
    organisation_id: int
    organisation: str
    role: str


class EnterpriseOut(Schema):
    id: int
    name: str
    uscc: str
    enterprise_kind: str
    province: str
    city: str
    address: str
    authorised_by: list[str]
    project_documents: bool
    filing_state: str | None = None
    filing_approved_on: dt.date | None = None


class EnterpriseIn(Schema):
    name: str | None = None
    uscc: str | None = None
    enterprise_kind: str | None = None
    province: str | None = None
    city: str | None = None
    address: str | None = None
    authorised_by: list[str] | None = None
    project_documents: bool | None = None


class FilingOut(Schema):
    id: int
    state: str
    submitted_on: dt.date | None
    approved_on: dt.date | None
    rejected_on: dt.date | None
    reference: str
    notes: str


class FilingIn(Schema):
    reference: str = ""
    notes: str = ""


class SellerOut(Schema):
    id: int
    name: str
    phone: str
    id_number_last4: str


class SellerIn(Schema):
    name: str
    phone: str = ""
    id_number_last4: str = ""


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


class TokenCreatedOut(TokenOut):
    token: str


class TokenIn(Schema):
    name: str = "api"


class MemberOut(Schema):
    """A member of the caller's organisation (accounts are deactivated, never deleted)."""

    user_id: int
    username: str
    email: str
    role: str
    is_active: bool
    last_login: dt.datetime | None


class MemberCreateIn(Schema):
    username: str
    password: str
    role: str = "readonly"
    email: str = ""


class MemberIn(Schema):
    """A new role and/or the account's status (``is_active: false`` deactivates, ``true`` reactivates)."""

    role: str | None = None
    is_active: bool | None = None


class PasswordIn(Schema):
    password: str
