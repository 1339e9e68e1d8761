"""Small shared wording and name normalisation used by rules and outputs.

Names on certificates and in profiles are compared after normalisation: NFKC (full-width letters,
digits and brackets become their ASCII forms) and no white space, so that
``重庆某某二手车出口有限公司`` matches ``重庆某某二手车出口有限公司 `` and （） matches ().

>>> normalise_name(" 重庆某某（出口）有限公司 ")
'重庆某某(出口)有限公司'
"""

from __future__ import annotations

import unicodedata

import polars as pl

KIND_ZH = {
    "manufacturer": "生产企业",
    "authorised_exporter": "授权出口企业",
    "circulation": "流通企业",
    "project_contractor": "对外承包工程企业",
}

CATEGORY_ZH = {
    "passenger": "载客汽车",
    "bus": "客车",
    "truck": "货车",
    "trailer": "挂车",
    "three_wheeled": "三轮汽车",
    "low_speed_truck": "低速货车",
    "special": "专项作业车",
}

ENCUMBRANCE_ZH = {"mortgage": "抵押", "pledge": "质押", "customs_supervision": "海关监管"}

STEERING_ZH = {"lhd": "左舵", "rhd": "右舵"}

# Full-width ASCII (U+FF01..U+FF5E) maps to ASCII by a fixed offset; polars has no NFKC.
_FULLWIDTH = [chr(c) for c in range(0xFF01, 0xFF5F)]
_HALFWIDTH = [chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)]


def normalise_name(name: str) -> str:
    return "".join(unicodedata.normalize("NFKC", name).split())


def normalise_name_expr(expr: pl.Expr) -> pl.Expr:
    """Column-wise :func:`normalise_name` for the characters that occur in company names."""
    out = expr.str.replace_all(r"[\s\u3000]+", "")
    return out.str.replace_many(_FULLWIDTH, _HALFWIDTH)
