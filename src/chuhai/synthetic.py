"""Realistic synthetic stock files for demos, tests and benchmarks (deterministic for a seed).

Vehicles get real Chinese WMIs and brands, valid check digits, plausible dates, uses and
destinations, and a realistic share of problems (mortgages, unresolved violations, recent
registrations inside the 180-day window, old taxis, missing test reports, a few typos). Nothing
here is law: it only feeds the engine.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from chuhai.identifiers.vin import TRANSLITERATION, WEIGHTS

# (WMI, brand as on the certificate, manufacturer as in the MIIT catalogue, models, fuels, displacements ml)
MAKES: tuple[tuple[str, str, str, tuple[str, ...], tuple[str, ...], tuple[int, ...]], ...] = (
    ("LFM", "丰田", "一汽丰田汽车有限公司", ("TV7250", "SCT6480"), ("petrol", "hev_petrol"), (1987, 2487)),
    ("LVG", "丰田", "广汽丰田汽车有限公司", ("GTM7250", "GTM6480"), ("petrol", "hev_petrol"), (1987, 2487)),
    ("LSV", "大众", "上汽大众汽车有限公司", ("SVW7141", "SVW6471"), ("petrol",), (1395, 1984)),
    ("LFV", "大众", "一汽-大众汽车有限公司", ("FV7147", "FV6472"), ("petrol",), (1395, 1984)),
    ("LHG", "本田", "广汽本田汽车有限公司", ("HG7150", "HG6481"), ("petrol", "hev_petrol"), (1498, 1993)),
    (
        "LGX",
        "比亚迪",
        "比亚迪汽车工业有限公司",
        ("BYD7005BEV", "BYD6470ST6HEV"),
        ("bev", "phev_petrol"),
        (1498,),
    ),
    ("LRW", "特斯拉", "特斯拉（上海）有限公司", ("TSL7000BEVAR0", "TSL6480BEVAR0"), ("bev",), ()),
    (
        "L6T",
        "吉利",
        "浙江吉利控股集团有限公司",
        ("MR7153A01", "MR6471D04"),
        ("petrol", "phev_petrol"),
        (1477, 1969),
    ),
    ("LVV", "奇瑞", "奇瑞汽车股份有限公司", ("SQR7150", "SQR6471"), ("petrol",), (1497, 1598)),
    ("LGW", "长城", "长城汽车股份有限公司", ("CC6460RM21", "CC6470BH22"), ("petrol", "diesel"), (1499, 1967)),
    ("LVS", "福特", "长安福特汽车有限公司", ("CAF7151", "CAF6470"), ("petrol",), (1498, 1999)),
    ("LSG", "别克", "上汽通用汽车有限公司", ("SGM7150", "SGM6531"), ("petrol",), (1490, 1998)),
    ("LBV", "宝马", "华晨宝马汽车有限公司", ("BMW7201", "BMW6475"), ("petrol",), (1998, 2998)),
    ("LZW", "五菱", "上汽通用五菱汽车股份有限公司", ("LZW6445", "LZW7001EVB"), ("petrol", "bev"), (1485,)),
)
BODIES = ("sedan", "offroad_4wd", "wagon", "other")
DESTINATIONS = ("RU", "KZ", "UZ", "KG", "AE", "SA", "JO", "TJ", "GE", "NG", "KE", "EG", "PK", "AZ", "MN")
VIN_CHARS = np.array(list("ABCDEFGHJKLMNPRSTUVWXYZ0123456789"))
YEAR_CODES = "ABCDEFGHJKLMNPRSTVWXY123456789"


def _check_digits(vins: np.ndarray) -> np.ndarray:
    """Set position 9 of each 17-character VIN (array of shape (n, 17)) to its check digit."""
    table = np.zeros(128, dtype=np.int64)
    for char, value in TRANSLITERATION.items():
        table[ord(char)] = value
    values = table[vins.astype("<U1").view(np.uint32)]
    weights = np.array(WEIGHTS)
    remainders = (values * weights).sum(axis=1) % 11
    vins[:, 8] = np.where(remainders == 10, "X", remainders.astype(str))
    return vins


def stock_frame(n: int, as_of: dt.date, owner: str, seed: int = 2026) -> pl.DataFrame:
    """``n`` synthetic vehicles as a frame of the vehicle-file columns (English headers)."""
    rng = np.random.default_rng(seed)
    make_idx = rng.integers(0, len(MAKES), n)
    wmis = np.array([m[0] for m in MAKES])[make_idx]
    chars = VIN_CHARS[rng.integers(0, len(VIN_CHARS), (n, 17))]
    chars[:, 0] = [w[0] for w in wmis]
    chars[:, 1] = [w[1] for w in wmis]
    chars[:, 2] = [w[2] for w in wmis]
    age_days = rng.gamma(2.2, 420, n).astype(int) + 30
    base = np.datetime64(as_of.isoformat(), "D")
    registration = base - age_days.astype("timedelta64[D]")
    years = registration.astype("datetime64[Y]").astype(int) + 1970
    chars[:, 9] = np.array(list(YEAR_CODES))[(years - 1980) % 30]
    chars[:, 10:] = np.char.mod("%d", rng.integers(0, 10, (n, 7)))
    vins = _check_digits(chars)
    vin_text = np.array(["".join(v) for v in vins])
    typo = rng.random(n) < 0.002  # a few mistyped VINs
    vin_text[typo] = [v[:16] + "I" for v in vin_text[typo]]
    fuels, displacements, models = [], [], []
    for i in make_idx:
        make = MAKES[i]
        fuel = make[4][rng.integers(0, len(make[4]))]
        fuels.append(fuel)
        displacements.append(None if fuel == "bev" else make[5][rng.integers(0, len(make[5]))])
        models.append(make[3][rng.integers(0, len(make[3]))])
    use = rng.choice(["non_operating", "taxi", "rental", "operating_other"], n, p=[0.9, 0.04, 0.04, 0.02])
    factory = registration - rng.integers(5, 120, n).astype("timedelta64[D]")
    transferred = rng.random(n) < 0.7
    transfer = base - rng.integers(1, 50, n).astype("timedelta64[D]")
    plate = transfer + np.timedelta64(1, "D")
    insurance = base + rng.integers(-30, 300, n).astype("timedelta64[D]")
    return (
        pl.DataFrame(
            {
                "vin": vin_text,
                "brand": np.array([m[1] for m in MAKES])[make_idx],
                "model": models,
                "manufacturer": np.array([m[2] for m in MAKES])[make_idx],
                "vehicle_category": ["passenger"] * n,
                "body_type": rng.choice(BODIES, n, p=[0.55, 0.25, 0.15, 0.05]),
                "fuel": fuels,
                "displacement_ml": displacements,
                "power_kw": rng.integers(70, 250, n),
                "seats": rng.choice([5, 7], n, p=[0.85, 0.15]),
                "size_class": rng.choice(["small", "mini", "medium"], n, p=[0.85, 0.1, 0.05]),
                "use_nature": use,
                "steering": rng.choice(["lhd", "rhd"], n, p=[0.995, 0.005]),
                "condition": rng.choice(["used", "new"], n, p=[0.97, 0.03]),
                "factory_date": factory,
                "registration_date": registration,
                "transfer_pending_export_date": transfer,
                "temp_plate_issue_date": plate,
                "insurance_expiry": insurance,
                "owner_name": np.where(rng.random(n) < 0.98, owner, "张三"),
                "odometer_km": rng.integers(100, 250_000, n),
                "encumbrance": rng.choice(["none", "mortgage", "pledge"], n, p=[0.96, 0.03, 0.01]),
                "seized": rng.random(n) < 0.003,
                "unresolved_violations": rng.random(n) < 0.02,
                # Every prohibition fact stated (vehicle-file.md: an empty one is input.unverified).
                "crime_proceeds": np.zeros(n, dtype=bool),
                "smuggled_or_assembled": np.zeros(n, dtype=bool),
                "modified_unproven": np.zeros(n, dtype=bool),
                "registration_matches": np.ones(n, dtype=bool),
                "documents_complete": np.ones(n, dtype=bool),
                "test_result": rng.choice(["pass", "missing", "fail"], n, p=[0.8, 0.17, 0.03]),
                "aftersales_confirmation": rng.random(n) < 0.3,
                "destination": rng.choice(DESTINATIONS, n),
            }
        )
        .with_columns(
            pl.col(c).cast(pl.Date)
            for c in (
                "factory_date",
                "registration_date",
                "transfer_pending_export_date",
                "temp_plate_issue_date",
                "insurance_expiry",
            )
        )
        .with_columns(
            pl.when(pl.Series(transferred)).then(pl.col(c)).alias(c)
            for c in ("transfer_pending_export_date", "temp_plate_issue_date")
        )
    )


def exporter_yaml(name: str, approved_on: dt.date) -> str:
    return (
        f"name: {name}\n"
        "uscc: 91500000MA5U00000W\n"
        "kind: circulation\n"
        "used_car_filing:\n"
        f"  approved_on: {approved_on.isoformat()}\n"
        "authorised_by: []\n"
    )
