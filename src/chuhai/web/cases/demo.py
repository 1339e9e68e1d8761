"""The demo enterprise: a Chongqing circulation enterprise with 200 vehicles in every state.

Idempotent: if the demo enterprise exists, nothing is created and the logins are printed again.
The vehicles are realistic but fictitious: Chinese brands and models, WMIs from the project's table
(``chuhai/law/wmi.yaml``), VINs with valid check digits, registration dates spread so that some fall
inside the 180-day window, some taxis are near their scrapping cut-off, some cars are mortgaged or
lack a test report. Stock is created in bulk (one engine call); the licence batches then go through
the real services (adding to licences, confirmation letters, submission, issue, declaration,
clearance, deregistration), so their audit trail and deadlines are the genuine ones.

Demo passwords are generated on first load and kept in ``CHUHAI_DATA_DIR/demo_logins.txt``.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from chuhai.web.aftersales import services as aftersales
from chuhai.web.aftersales.models import ExportContract, ServiceOutlet
from chuhai.web.cases.context import Actor, system_actor, today
from chuhai.web.cases.transitions import record, snapshot
from chuhai.web.customs import services as customs
from chuhai.web.licences import services as licences
from chuhai.web.organisations import services as accounts
from chuhai.web.organisations.models import (
    EnterpriseFiling,
    EnterpriseKind,
    FilingState,
    Organisation,
    OrgKind,
    Role,
    Seller,
)
from chuhai.web.vehicles import screening
from chuhai.web.vehicles import services as vehicle_service
from chuhai.web.vehicles.models import Vehicle, VehicleState

S = VehicleState
DEMO_NAME = "重庆渝海通二手车出口有限公司"
# 91 (enterprise, company) + 500113 (Chongqing, Banan district) + organisation code; the check
# character is computed by chuhai.identifiers.uscc.
DEMO_USCC_BASE = "91500113MA61CHHX5"
ROLES = (
    ("demo-admin", Role.ADMIN),
    ("demo-compliance", Role.COMPLIANCE),
    ("demo-clerk", Role.CLERK),
    ("demo-readonly", Role.READONLY),
)


@dataclass(frozen=True)
class Model:
    wmi: str
    brand: str
    model: str
    manufacturer: str
    body_type: str
    fuel: str
    displacement_ml: int | None
    power_kw: Decimal
    seats: int
    size_class: str


MODELS = (
    Model(
        "LGX",
        "比亚迪",
        "秦PLUS DM-i",
        "比亚迪汽车工业有限公司",
        "sedan",
        "phev_petrol",
        1498,
        Decimal("81"),
        5,
        "small",
    ),
    Model(
        "LGX", "比亚迪", "汉EV", "比亚迪汽车工业有限公司", "sedan", "bev", None, Decimal("180"), 5, "medium"
    ),
    Model("L6T", "吉利", "帝豪", "浙江吉利汽车有限公司", "sedan", "petrol", 1498, Decimal("84"), 5, "small"),
    Model(
        "LVV",
        "奇瑞",
        "瑞虎8",
        "奇瑞汽车股份有限公司",
        "offroad_4wd",
        "petrol",
        1598,
        Decimal("145"),
        7,
        "small",
    ),
    Model("LGW", "哈弗", "H6", "长城汽车股份有限公司", "wagon", "petrol", 1497, Decimal("135"), 5, "small"),
    Model(
        "LS4",
        "长安",
        "CS75 PLUS",
        "重庆长安汽车股份有限公司",
        "wagon",
        "petrol",
        1494,
        Decimal("132"),
        5,
        "small",
    ),
    Model("LSV", "大众", "朗逸", "上汽大众汽车有限公司", "sedan", "petrol", 1498, Decimal("83"), 5, "small"),
    Model(
        "LFV", "大众", "速腾", "一汽-大众汽车有限公司", "sedan", "petrol", 1395, Decimal("110"), 5, "small"
    ),
    Model(
        "LZW",
        "五菱",
        "宏光",
        "上汽通用五菱汽车股份有限公司",
        "wagon",
        "petrol",
        1485,
        Decimal("73"),
        7,
        "small",
    ),
    Model(
        "LRW", "特斯拉", "Model 3", "特斯拉(上海)有限公司", "sedan", "bev", None, Decimal("194"), 5, "medium"
    ),
    Model(
        "LHG", "本田", "雅阁", "广汽本田汽车有限公司", "sedan", "petrol", 1498, Decimal("143"), 5, "medium"
    ),
    Model(
        "LVS", "福特", "福克斯", "长安福特汽车有限公司", "sedan", "petrol", 1499, Decimal("132"), 5, "small"
    ),
)
DESTINATIONS = ("KZ", "UZ", "RU", "KG", "AE")
# Each licence batch goes to the destination of its export contract (see _create).
BATCH_DESTINATIONS = {
    "batch:deregistered": "RU",
    "batch:cleared": "KZ",
    "batch:declared": "UZ",
    "batch:issued": "KZ",
    "batch:submitted": "UZ",
}
SURNAMES = "王李张刘陈杨黄赵周吴徐孙马朱胡郭何林罗高"
GIVEN = ("伟", "芳", "强", "磊", "洋", "勇", "军", "杰", "娟", "涛", "明", "超", "秀英", "建华", "志强")
_YEAR_CODES = "ABCDEFGHJKLMNPRSTVWXY123456789"  # VIN position 10, 30-year cycle from 1980


def _vin(rng: random.Random, wmi: str, year: int) -> str:
    from chuhai.identifiers import vin

    alphabet = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
    vds = "".join(rng.choice(alphabet) for _ in range(5))
    year_code = _YEAR_CODES[(year - 1980) % 30]
    plant = rng.choice("ABCDEFGHJKLMN123456789")
    serial = f"{rng.randrange(0, 1_000_000):06d}"
    draft = f"{wmi}{vds}0{year_code}{plant}{serial}"
    check = vin.calc_check_digit(draft)
    return vin.validate(draft[:8] + check + draft[9:])


def _password(username: str) -> str:
    """A random "demo-…" password the validators accept for ``username``: the similarity validator
    refuses one now and then ("demo-" is also in every demo username), which failed the demo load at
    random."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError as DjangoValidationError

    while True:
        password = "demo-" + secrets.token_urlsafe(9)
        try:
            validate_password(password, get_user_model()(username=username))
        except DjangoValidationError:
            continue
        return password


def logins_path() -> Path:
    return Path(settings.DATA_DIR) / "demo_logins.txt"


def _logins() -> dict[str, str]:
    path = logins_path()
    if not path.exists():
        return {}
    pairs = (line.split(" ", 1) for line in path.read_text(encoding="utf-8").splitlines() if " " in line)
    return dict(pairs)


def load_demo(out: Any = print) -> Organisation:
    """Create the demo enterprise once; print its logins every time."""
    from chuhai.identifiers import uscc

    code = DEMO_USCC_BASE + uscc.calc_check_digit(DEMO_USCC_BASE)
    org = Organisation.objects.filter(uscc=code).first()
    if org is None:
        org = _create(code)
    logins = _logins()
    out(f"Demo enterprise: {org.name} (USCC {org.uscc})")
    unknown = f"(password set earlier; see {logins_path()})"
    for username, role in ROLES:
        out(f"  {role:<11} {username:<16} {logins.get(username, unknown)}")
    return org


@transaction.atomic
def _create(code: str) -> Organisation:
    rng = random.Random(20261122)  # noqa: S311 - deterministic demo data, not security
    day = today()
    org = Organisation.objects.create(
        kind=OrgKind.ENTERPRISE,
        name=DEMO_NAME,
        uscc=code,
        enterprise_kind=EnterpriseKind.CIRCULATION,
        province="重庆市",
        city="重庆市",
        address="重庆市巴南区龙洲大道 (demo)",
    )
    passwords: dict[str, str] = {}
    user_model = get_user_model()
    for username, role in ROLES:
        if user_model.objects.filter(username=username).exists():
            continue
        passwords[username] = _password(username)
        accounts.create_user(org, username, passwords[username], role)
    if passwords:
        path = logins_path()
        path.write_text("".join(f"{u} {p}\n" for u, p in passwords.items()), encoding="utf-8")
        path.chmod(0o600)
    actor = Actor(
        user=user_model.objects.get(username="demo-compliance"), organisation=org, role=Role.COMPLIANCE
    )

    filing = EnterpriseFiling.objects.create(
        organisation=org,
        state=FilingState.APPROVED,
        submitted_on=day - dt.timedelta(days=221),
        approved_on=day - dt.timedelta(days=200),
        reference="渝商务备〔demo〕17号",
    )
    record(system_actor(org), filing, "demo.load", {}, snapshot(filing))
    sellers = [
        Seller.objects.create(
            organisation=org,
            name=rng.choice(SURNAMES) + rng.choice(GIVEN),
            phone=f"1{rng.randrange(3, 9)}{rng.randrange(10**8, 10**9)}",
            id_number_last4=f"{rng.randrange(0, 10000):04d}",
        )
        for _ in range(12)
    ]
    contracts = {}
    for i, country in enumerate(("KZ", "UZ", "RU")):
        contracts[country] = ExportContract.objects.create(
            organisation=org,
            number=f"CQ-EXP-2026-{i + 1:03d}",
            buyer={"KZ": "TOO Almaty Auto Trade", "UZ": "OOO Tashkent Motors", "RU": "OOO Sibir Avto"}[
                country
            ],
            destination=country,
            signed_on=day - dt.timedelta(days=90 - i * 10),
            trade_term="CIF",
            aftersales_terms="卖方通过目的国授权服务网点提供售后维修服务 (demo)",
        )
        ServiceOutlet.objects.create(
            organisation=org,
            country=country,
            city={"KZ": "Almaty", "UZ": "Tashkent", "RU": "Novosibirsk"}[country],
            address="demo address",
            provider=f"{country} Service Partner LLC",
        )

    plan: list[tuple[str, int]] = [
        (S.OFFERED, 10),
        (S.DEPOSIT_PAID, 8),
        (S.PURCHASED, 40),
        (S.WITHDRAWN, 5),
        (S.TRANSFER_REGISTERED, 69),
        # licence batches, created as transfer_registered and moved through the services below
        ("batch:submitted", 15),
        ("batch:issued", 18),
        ("batch:declared", 8),
        ("batch:cleared", 12),
        ("batch:deregistered", 15),
    ]
    vehicles: list[tuple[Vehicle, str]] = []
    for group, count in plan:
        for i in range(count):
            vehicles.append((_vehicle(rng, org, group, i, day, sellers), group))
    screening.rescreen([v for v, _ in vehicles], org, day)
    for vehicle, _group in vehicles:
        vehicle.save()
        record(system_actor(org), vehicle, "demo.load", {}, snapshot(vehicle))

    batches = {
        g: [v for v, grp in vehicles if grp == g]
        for g in {grp for _, grp in vehicles if grp.startswith("batch:")}
    }
    _run_batch(actor, batches["batch:deregistered"], contracts["RU"], day, offset=58, stop="deregistered")
    _run_batch(actor, batches["batch:cleared"], contracts["KZ"], day, offset=56, stop="cleared")
    _run_batch(actor, batches["batch:declared"], contracts["UZ"], day, offset=20, stop="declared")
    _run_batch(actor, batches["batch:issued"], contracts["KZ"], day, offset=12, stop="issued")
    _run_batch(actor, batches["batch:submitted"], contracts["UZ"], day, offset=3, stop="submitted")
    return org


def _vehicle(
    rng: random.Random, org: Organisation, group: str, i: int, day: dt.date, sellers: list[Seller]
) -> Vehicle:
    # Licence batches use models whose commodity code the law data determines (1.5 L petrol wagons have
    # none in the domain tables, so the engine reports classification.undetermined for them).
    choices = [m for m in MODELS if m.body_type != "wagon"] if group.startswith("batch:") else list(MODELS)
    spec = choices[rng.randrange(len(choices))]
    use_nature = "non_operating"
    registered_days_ago = rng.randrange(400, 2200)
    encumbrance = "none"
    test_result = "pass"
    if group == S.PURCHASED:
        kind = i % 8
        if kind == 0:  # a taxi near its service-life limit: some past the export cut-off, some just before
            near = (i // 8) % 2 == 0
            days = (
                rng.randrange(6 * 365 + 200, 7 * 365 - 20)
                if near
                else rng.randrange(7 * 365 + 20, 8 * 365 - 10)
            )
            use_nature, registered_days_ago = "taxi", days
            spec = MODELS[2]
        elif kind == 1:
            encumbrance = "mortgage"
        elif kind == 2:  # inside the 180-day window: needs the manufacturer's letter
            registered_days_ago = rng.randrange(30, 170)
        elif kind == 3:
            test_result = "missing"
    if group == "batch:submitted" and i < 2:
        registered_days_ago = rng.randrange(60, 150)  # letter required: requested and received below
    if group == S.TRANSFER_REGISTERED and i % 10 == 0:
        registered_days_ago = rng.randrange(100, 175)
    registration = day - dt.timedelta(days=registered_days_ago)
    vehicle = Vehicle(
        organisation=org,
        vin=_vin(rng, spec.wmi, registration.year),
        brand=spec.brand,
        model=spec.model,
        manufacturer=spec.manufacturer,
        vehicle_category="passenger",
        body_type=spec.body_type,
        fuel=spec.fuel,
        displacement_ml=spec.displacement_ml,
        power_kw=spec.power_kw,
        seats=spec.seats,
        size_class=spec.size_class,
        use_nature=use_nature,
        steering="lhd",
        condition="used",
        factory_date=registration - dt.timedelta(days=rng.randrange(20, 90)),
        registration_date=registration,
        owner_name=rng.choice(sellers).name,
        odometer_km=rng.randrange(3, 180) * 1000,
        encumbrance=encumbrance,
        # The demo's stock states every prohibition fact (an unstated one is input.unverified).
        seized=False,
        crime_proceeds=False,
        smuggled_or_assembled=False,
        unresolved_violations=False,
        modified_unproven=False,
        registration_matches=True,
        documents_complete=True,
        test_result=test_result,
        destination=rng.choice(DESTINATIONS),
        insurance_expiry=day + dt.timedelta(days=rng.randrange(30, 300)),
    )
    if group in (S.OFFERED, S.DEPOSIT_PAID, S.WITHDRAWN):
        vehicle.state = group
        vehicle.seller = rng.choice(sellers)
        vehicle.offered_price = Decimal(rng.randrange(40, 180) * 1000)
        if group == S.DEPOSIT_PAID:
            vehicle.deposit_amount = Decimal(5000)
        if group == S.WITHDRAWN:
            vehicle.withdrawn_on = day - dt.timedelta(days=rng.randrange(1, 60))
    elif group == S.PURCHASED:
        vehicle.state = S.PURCHASED
        vehicle.purchase_price = Decimal(rng.randrange(40, 180) * 1000)
        vehicle.purchased_on = day - dt.timedelta(days=rng.randrange(1, 30))
    else:
        vehicle.state = S.TRANSFER_REGISTERED
        vehicle.destination = BATCH_DESTINATIONS.get(group, vehicle.destination)
        vehicle.purchase_price = Decimal(rng.randrange(40, 180) * 1000)
        offsets = {
            "batch:deregistered": 59,
            "batch:cleared": 57,
            "batch:declared": 25,
            "batch:issued": 14,
            "batch:submitted": 5,
        }
        transfer_days_ago = offsets.get(group, rng.randrange(1, 75))
        transfer = day - dt.timedelta(days=transfer_days_ago)
        vehicle.purchased_on = transfer - dt.timedelta(days=rng.randrange(1, 10))
        vehicle.owner_name = org.name
        vehicle.transfer_pending_export_date = transfer
        vehicle.temp_plate_issue_date = transfer
        vehicle.temp_plate_number = f"渝A{rng.randrange(10000, 99999)}临"
        vehicle.insurance_expiry = max(vehicle.insurance_expiry or day, day + dt.timedelta(days=5))
    return vehicle


def _run_batch(
    actor: Actor, batch: list[Vehicle], contract: ExportContract, day: dt.date, offset: int, stop: str
) -> None:
    """One licence batch through the real services, dated ``offset`` days back from today."""
    licence = licences.create(actor, {"export_contract_id": contract.pk})
    licences.add_vehicles(actor, licence.pk, [vehicle.pk for vehicle in batch])
    young = [
        v
        for v in batch
        if v.registration_date and (day - dt.timedelta(days=offset) - v.registration_date).days <= 180
    ]
    for manufacturer in sorted({v.manufacturer for v in young}):
        outlet = ServiceOutlet.objects.filter(
            organisation=actor.organisation, country=contract.destination
        ).first()
        letter = aftersales.request_letter(
            actor, licence.pk, manufacturer, [outlet.pk] if outlet else [], day - dt.timedelta(days=offset)
        )
        aftersales.letter_transition(
            actor,
            letter.pk,
            "receive",
            {"received_on": day - dt.timedelta(days=offset - 1), "evidence": f"售后确认书 {letter.pk:04d}"},
        )
    submitted = day - dt.timedelta(days=offset)
    licences.transition(actor, licence.pk, "submit", {"submitted_on": submitted})
    if stop == "submitted":
        return
    issued = day - dt.timedelta(days=max(offset - 3, 0))
    licences.transition(
        actor, licence.pk, "issue", {"licence_number": f"26CQ{licence.pk:06d}", "issued_on": issued}
    )
    if stop == "issued":
        return
    declaration = customs.create(actor, licence.pk, {"port": "重庆铁路口岸"})
    customs.transition(
        actor,
        declaration.pk,
        "file",
        {
            "declaration_number": f"8001202600{declaration.pk:08d}",
            "filed_on": day - dt.timedelta(days=max(offset - 6, 0)),
        },
    )
    if stop == "declared":
        return
    cleared = day - dt.timedelta(days=max(offset - 10, 0))
    customs.transition(actor, declaration.pk, "clear", {"clearance_date": cleared})
    if stop == "cleared":
        return
    for vehicle in batch:
        vehicle_service.transition(
            actor, vehicle.pk, "deregister", {"deregistered_on": min(cleared + dt.timedelta(days=20), day)}
        )
