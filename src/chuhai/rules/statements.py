"""Whether the prohibition facts were stated at all (vehicle-file.md: "not known" is never "no").

The prohibitions of 2024 No. 6 §六 are decided by the ``vehicle.*`` rules from facts the stock file
states (:data:`chuhai.schema.PROHIBITION_FACTS`). A fact whose cell is empty, or whose column is
absent, is not assumed to clear its prohibition: ``input.unverified`` names it and the vehicle
cannot be eligible. The exporter may state facts for a whole file (``attests`` of its profile);
where it does and a cell is empty, ``input.attested`` cites that attestation as the fact's source.
"""

from __future__ import annotations

import polars as pl

from chuhai import schema
from chuhai.rules.base import USED, Check, Ctx, rule


def _label_zh(name: str) -> str:
    """The fact as the Chinese header names it, with the column name: 查封扣押（seized）."""
    return f"{schema.COLUMNS[name].aliases[0]}（{name}）"


def _empty(names: list[str], label: dict[str, str] | None = None) -> pl.Expr:
    """The names (or labels) of the facts among ``names`` that are null on the row, or ""."""
    if not names:
        return pl.lit("")
    parts = [pl.when(pl.col(n).is_null()).then(pl.lit(label[n] if label else n)) for n in names]
    separator = "、" if label else ", "
    return pl.concat_str(parts, separator=separator, ignore_nulls=True).fill_null("")


_LABELS_ZH = {name: _label_zh(name) for name in schema.PROHIBITION_FACTS}


@rule("input.unverified")
def unverified(c: Ctx) -> Check:
    names = [n for n in schema.PROHIBITION_FACTS if n not in c.exporter.attests]
    missing = _empty(names)
    return Check(
        applies=USED,
        fires=missing != "",
        facts={"missing": missing, "missing_zh": _empty(names, _LABELS_ZH)},
    )


@rule("input.attested")
def attested(c: Ctx) -> Check:
    names = [n for n in schema.PROHIBITION_FACTS if n in c.exporter.attests]
    filled = _empty(names)
    return Check(
        applies=USED,
        fires=filled != "",
        facts={
            "attested": filled,
            "attested_zh": _empty(names, _LABELS_ZH),
            "exporter_name": c.exporter.name,
        },
    )
