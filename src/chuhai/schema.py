"""The vehicle-file contract (``shared/spec/vehicle-file.md``) as data.

Every reader, the engine, the web import and the REST API use this one table: the canonical
column names, their accepted header aliases (English and the Chinese wording printed on the
《机动车登记证书》), their types, the allowed values of enumerations with their Chinese synonyms,
and the default used when a cell is empty (never for a prohibition fact,
:data:`PROHIBITION_FACTS`: not known is never "no"). :data:`EXPECTED` says, in the four languages of the app,
what an unreadable cell should have held: the one table of those texts (the readers take theirs from
it too), carried by every ``input.invalid`` finding as ``expected_zh/en/ru/ar``.

>>> COLUMNS["use_nature"].kind
'enum'
>>> canonical_header("车辆识别代号")
'vin'
>>> canonical_header(" VIN ")
'vin'
>>> canonical_header("备注") is None
True
>>> enum_value("use_nature", "非营运")
'non_operating'
>>> COLUMNS["steering"].expected["en"]
'one of lhd, rhd, or written (as on the registration certificate) 左舵, 右舵, 左, 右'
>>> expected_texts("csv_width", width=3)["en"]
'no more cells than the 3 header columns'
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

from chuhai.values import load_values

Kind = Literal["text", "enum", "integer", "decimal", "date", "boolean", "country"]

EXPECTED_LANGUAGES = ("zh", "en", "ru", "ar")
# What a cell (or a line of the file) should have held, by language. ``{values}`` is a list of
# accepted values, joined with the language's own separator; ``{width}`` a number of header columns,
# ``{row}`` a row number.
# Values, formats and units (YYYY-MM-DD, true/false, 是/否, kW) stay as the user must type them.
EXPECTED: dict[str, dict[str, str]] = {
    "text": {"zh": "文本", "en": "text", "ru": "текст", "ar": "نص"},
    "enum": {
        "zh": "取值之一：{values}",
        "en": "one of {values}",
        "ru": "одно из значений: {values}",
        "ar": "إحدى القيم: {values}",
    },
    "enum_spellings": {
        "zh": "取值之一：{values}；也可写作（含登记证书上的写法）：{spellings}",
        "en": "one of {values}, or written (as on the registration certificate) {spellings}",
        "ru": "одно из значений: {values}, или в написании (как в свидетельстве о регистрации): {spellings}",
        "ar": "إحدى القيم: {values}، أو بالكتابة (كما في شهادة التسجيل): {spellings}",
    },
    "implied": {
        "zh": "与“{column}”列的“{value}”一致的值：{implied}",
        "en": '{implied}, as "{value}" in column "{column}" says',
        "ru": "{implied}, как следует из «{value}» в столбце «{column}»",
        "ar": "{implied}، كما تقول «{value}» في العمود «{column}»",
    },
    "boolean": {
        "zh": "是/否、true/false、yes/no、1/0 或 Y/N",
        "en": "true/false, yes/no, 1/0, 是/否 or Y/N",
        "ru": "true/false, yes/no, 1/0, 是/否 или Y/N",
        "ar": "true/false أو yes/no أو 1/0 أو 是/否 أو Y/N",
    },
    "date": {
        "zh": "日期，格式 YYYY-MM-DD、YYYY/MM/DD、YYYYMMDD 或 YYYY年MM月DD日",
        "en": "a date as YYYY-MM-DD, YYYY/MM/DD, YYYYMMDD or YYYY年MM月DD日",
        "ru": "дата в формате YYYY-MM-DD, YYYY/MM/DD, YYYYMMDD или YYYY年MM月DD日",
        "ar": "تاريخ بالصيغة YYYY-MM-DD أو YYYY/MM/DD أو YYYYMMDD أو YYYY年MM月DD日",
    },
    "millilitres": {
        "zh": "排量：毫升整数（1998、1,598）或带小数点或单位的升数（2.0、2.0L、1.5T）；单独的 2 无法判断单位",
        "en": "displacement in whole millilitres (1998, 1,598) or in litres with a decimal point or unit "
        "(2.0, 2.0L, 1.5T); a bare 2 is ambiguous",
        "ru": "рабочий объём в целых миллилитрах (1998, 1,598) или в литрах с десятичной точкой или единицей "
        "(2.0, 2.0L, 1.5T); просто 2 неоднозначно",
        "ar": "سعة المحرك بعدد صحيح من المليلترات (1998، 1,598) أو باللترات مع فاصلة عشرية أو وحدة "
        "(2.0، 2.0L، 1.5T)؛ الرقم 2 وحده ملتبس",
    },
    "kilowatts": {
        "zh": "数字（千瓦），可带 kW、千瓦，或 PS/马力（公制马力，按 1 PS = 0.73549875 kW 换算）；不接受 hp",
        "en": "a number (kW), optionally with kW/千瓦, or PS/马力 (metric horsepower, 1 PS = 0.73549875 kW); "
        "hp is not accepted",
        "ru": "число (кВт), можно с kW/千瓦 или PS/马力 (метрическая л. с., 1 PS = 0,73549875 кВт); "
        "hp не принимается",
        "ar": "رقم (كيلوواط)، مع kW/千瓦 اختياريًا، أو PS/马力 (حصان متري، 1 PS = 0.73549875 كيلوواط)؛ "
        "لا تُقبل hp",
    },
    "whole_number": {"zh": "整数", "en": "a whole number", "ru": "целое число", "ar": "عدد صحيح"},
    "kilometres": {
        "zh": "整数（公里）",
        "en": "a whole number of km",
        "ru": "целое число километров",
        "ar": "عدد صحيح بالكيلومتر",
    },
    "country": {
        "zh": "ISO 3166 两位国家代码",
        "en": "an ISO 3166 alpha-2 country code",
        "ru": "двухбуквенный код страны ISO 3166",
        "ar": "رمز بلد من حرفين وفق ISO 3166",
    },
    "csv_line": {
        "zh": "双引号成对出现的 CSV 行",
        "en": "a CSV line whose double quotes are balanced",
        "ru": "строка CSV с парными двойными кавычками",
        "ar": "سطر CSV علامات الاقتباس المزدوجة فيه مكتملة الأزواج",
    },
    "csv_width": {
        "zh": "单元格数不超过表头的 {width} 列",
        "en": "no more cells than the {width} header columns",
        "ru": "не больше ячеек, чем {width} столбцов заголовка",
        "ar": "عدد خلايا لا يزيد على أعمدة الترويسة وعددها {width}",
    },
    "vin_present": {
        "zh": "17 位车辆识别代号",
        "en": "a 17-character VIN",
        "ru": "VIN из 17 символов",
        "ar": "رقم هيكل (VIN) من 17 حرفًا",
    },
    "as_recorded": {
        "zh": "已记录的值 {value}（见规则）",
        "en": "the recorded value {value} (see the rule)",
        "ru": "записанное значение {value} (см. правило)",
        "ar": "القيمة المسجلة {value} (انظر القاعدة)",
    },
    "vin_unique": {
        "zh": "与第 {row} 行不重复的车辆识别代号",
        "en": "a VIN not already in row {row}",
        "ru": "VIN, не совпадающий с VIN в строке {row}",
        "ar": "رقم هيكل (VIN) غير مكرر في الصف {row}",
    },
}
_LIST_SEPARATOR = {"zh": "、", "en": ", ", "ru": ", ", "ar": "، "}


def expected_texts(
    key: str, *, values: tuple[str, ...] = (), spellings: tuple[str, ...] = (), **fields: object
) -> dict[str, str]:
    """One text of :data:`EXPECTED` in every language, its ``{values}``, ``{spellings}`` (and
    ``{width}``, ``{row}``…) filled in."""
    return {
        lang: text.format(
            values=_LIST_SEPARATOR[lang].join(values),
            spellings=_LIST_SEPARATOR[lang].join(spellings),
            **fields,
        )
        for lang, text in EXPECTED[key].items()
    }


@dataclass(frozen=True)
class Column:
    """One column of the vehicle file."""

    name: str
    kind: Kind
    aliases: tuple[str, ...] = ()
    values: tuple[str, ...] = ()
    # Accepted spellings of enumeration values (already normalised: NFKC, lower case, stripped).
    synonyms: dict[str, str] = field(default_factory=dict)
    default: str | bool | None = None
    # What a readable cell holds, in each of EXPECTED_LANGUAGES (texts of EXPECTED).
    expected: Mapping[str, str] = field(default_factory=dict)
    # Compound certificate values (values.yaml ``implies``): normalised spelling → {column: value}
    # of the other facts it states (小型轿车 → body_type sedan, size_class small).
    implies: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    # Spellings that do not say which value they mean: normalised spelling → why, by language.
    ambiguous: Mapping[str, Mapping[str, str]] = field(default_factory=dict)


def _norm(text: str) -> str:
    """Normalise a header or an enumeration cell: NFKC, stripped, lower case, no inner blanks."""
    return "".join(unicodedata.normalize("NFKC", text).strip().lower().split())


def _enum(
    name: str,
    values: tuple[str, ...],
    aliases: tuple[str, ...] = (),
    default: str | None = None,
    spellings_of: str | None = None,
) -> Column:
    """An enumerated column; its spellings come from ``schema_data/values.yaml`` (:mod:`chuhai.values`),
    those of the column ``spellings_of`` if given (a former use is spelt as a use, without the
    implied facts of a compound certificate value)."""
    table = load_values()
    syn = {_norm(v): v for v in values}
    implies: dict[str, dict[str, str]] = {}
    listed: list[str] = []
    for entry in table.spellings.get(spellings_of or name, ()):
        if entry.implies and spellings_of is not None:
            continue  # 出租转非 is a use and a former use; as a former use alone it means nothing
        assert entry.value in values, (name, entry.text, entry.value)
        key = _norm(entry.text)
        assert syn.get(key, entry.value) == entry.value, (name, entry.text)
        syn[key] = entry.value
        if entry.text not in values:
            listed.append(entry.text)
        if entry.implies:
            implies[key] = dict(entry.implies)
    ambiguous = {
        _norm(text): dict(entry.why) for text, entry in table.ambiguous.get(spellings_of or name, {}).items()
    }
    for key in ambiguous:
        assert key not in syn, (name, key)
    expected = (
        expected_texts("enum_spellings", values=values, spellings=tuple(listed))
        if listed
        else expected_texts("enum", values=values)
    )
    return Column(
        name,
        "enum",
        aliases,
        values,
        syn,
        default,
        expected=expected,
        implies=implies,
        ambiguous=ambiguous,
    )


def _bool(name: str, default: bool | None, aliases: tuple[str, ...] = ()) -> Column:
    return Column(name, "boolean", aliases, default=default, expected=expected_texts("boolean"))


def _date(name: str, aliases: tuple[str, ...] = ()) -> Column:
    return Column(name, "date", aliases, expected=expected_texts("date"))


def _text(name: str, aliases: tuple[str, ...] = ()) -> Column:
    return Column(name, "text", aliases, expected=expected_texts("text"))


BOOL_TRUE = frozenset({"true", "yes", "1", "是", "y", "t", "真", "有"})
BOOL_FALSE = frozenset({"false", "no", "0", "否", "n", "f", "假", "无"})

USE_NATURES = (
    "non_operating",
    "taxi",
    "rental",
    "driving_school",
    "bus",
    "school_bus",
    "operating_other",
    "dangerous_goods",
    "truck",
)

COLUMN_LIST: tuple[Column, ...] = (
    _text("vin", ("车辆识别代号", "车辆识别代号/车架号", "车架号", "vin码", "vin号")),
    _text("brand", ("车辆品牌", "品牌")),
    _text("model", ("车辆型号", "型号")),
    _text("manufacturer", ("制造厂名称", "生产企业", "制造商")),
    _enum(
        "vehicle_category",
        ("passenger", "bus", "truck", "trailer", "three_wheeled", "low_speed_truck", "special"),
        ("车辆类别", "车辆类型"),
        default="passenger",
    ),
    _enum(
        "body_type",
        ("sedan", "offroad_4wd", "wagon", "other"),
        ("车身形式", "车身类型"),
    ),
    _enum(
        "fuel",
        ("petrol", "diesel", "hev_petrol", "hev_diesel", "phev_petrol", "phev_diesel", "bev", "other"),
        ("燃料种类", "燃料类型"),
    ),
    Column(
        "displacement_ml",
        "integer",
        ("排量", "排量(ml)", "排量（ml）", "排量ml"),
        expected=expected_texts("millilitres"),
    ),
    Column(
        "power_kw",
        "decimal",
        ("功率", "功率(kw)", "功率（kw）"),
        expected=expected_texts("kilowatts"),
    ),
    Column(
        "seats",
        "integer",
        ("核定载客", "核定载客人数", "座位数"),
        expected=expected_texts("whole_number"),
    ),
    _enum(
        "size_class",
        ("mini", "small", "medium", "large", "light", "heavy"),
        ("规格", "车辆规格"),
    ),
    _enum("use_nature", USE_NATURES, ("使用性质",)),
    _enum(
        "steering",
        ("lhd", "rhd"),
        ("方向盘", "转向"),
        default="lhd",
    ),
    _enum(
        "condition",
        ("used", "new"),
        ("新旧", "商品状态"),
        default="used",
    ),
    _date("factory_date", ("出厂日期",)),
    _date("registration_date", ("注册登记日期", "初次登记日期")),
    _date("transfer_pending_export_date", ("转让登记待出口日期", "转让待出口日期")),
    _date("temp_plate_issue_date", ("临时号牌签发日期", "临牌日期")),
    _date("insurance_expiry", ("交强险到期日", "交强险到期日期")),
    _text("owner_name", ("机动车所有人", "所有人")),
    Column(
        "odometer_km",
        "integer",
        ("里程", "表显里程", "里程(km)"),
        expected=expected_texts("kilometres"),
    ),
    _enum(
        "encumbrance",
        ("none", "mortgage", "pledge", "customs_supervision"),
        ("抵押质押", "权利限制"),
    ),
    # The prohibition facts (PROHIBITION_FACTS): no default, an empty cell is "not known".
    _bool("seized", None, ("查封扣押",)),
    _bool("crime_proceeds", None, ("涉案",)),
    _bool("smuggled_or_assembled", None, ("走私拼装",)),
    _bool("unresolved_violations", None, ("违法未处理",)),
    _bool("modified_unproven", None, ("改装未证明",)),
    _bool("registration_matches", None, ("与登记证书一致",)),
    _bool("documents_complete", None, ("手续齐全",)),
    _enum(
        "test_result",
        ("pass", "fail", "missing"),
        ("检测结果",),
        default="missing",
    ),
    _bool("aftersales_confirmation", False, ("售后维修服务确认书", "售后确认书")),
    Column(
        "destination",
        "country",
        ("目的国", "出口目的国"),
        expected=expected_texts("country"),
    ),
    _date("licence_application_date", ("许可证申请日期", "出口许可证申请日期")),
    _date("customs_clearance_date", ("结关日期", "报关放行日期")),
    # Trailers only: the kind drives the service life (Order 2012 No. 12 Art. 5(九)).
    _enum(
        "trailer_kind",
        ("full", "semi", "semi_container", "semi_dangerous_goods"),
        ("挂车类型", "挂车种类"),
    ),
    # The use before a change of use (营转非, 出租转非…): Order 2012 No. 12 Art. 6.
    _enum(
        "former_use_nature",
        USE_NATURES,
        ("原使用性质", "变更前使用性质"),
        spellings_of="use_nature",
    ),
    # Special-operation vehicles (专项作业车) only: with or without a cargo function (Art. 5(十)).
    _bool("special_cargo_function", None, ("具有载货功能",)),
    # Order 2012 No. 12 Art. 4 triggers besides age, as the file or the case states them.
    _bool("failed_standards_after_repair", None, ("经修理仍不符合标准", "修理后仍不合格")),
    _bool("inspection_lapsed_3_cycles", None, ("连续3个周期未检验合格", "逾期未检验")),
)

COLUMNS: dict[str, Column] = {c.name: c for c in COLUMN_LIST}

# The facts of the prohibitions of 2024 No. 6 §六 that a stock file states (vehicle-file.md: "not
# known" is never "no"). An empty cell or an absent column leaves the fact unknown: the engine's
# ``input.unverified`` names it and the vehicle cannot be eligible. Each maps to the value that
# clears its prohibition, the value an exporter's attestation (``attests`` of the profile) states
# for every vehicle of a file whose cell is empty.
PROHIBITION_FACTS: dict[str, str | bool] = {
    "seized": False,
    "crime_proceeds": False,
    "smuggled_or_assembled": False,
    "unresolved_violations": False,
    "modified_unproven": False,
    "encumbrance": "none",
    "registration_matches": True,
    "documents_complete": True,
}
assert all(COLUMNS[name].default is None for name in PROHIBITION_FACTS)

_HEADER_INDEX: dict[str, str] = {}
for _col in COLUMN_LIST:
    for _spelling in (_col.name, *_col.aliases):
        _key = _norm(_spelling)
        assert _HEADER_INDEX.get(_key, _col.name) == _col.name, _spelling
        _HEADER_INDEX[_key] = _col.name


def canonical_header(header: str) -> str | None:
    """The canonical column name for a header cell, or ``None`` for an unknown (pass-through) column.

    Spellings come from :data:`COLUMN_LIST` and ``schema_data/headers.yaml``
    (:func:`match_header`, which also gives the header's unit and, for an unknown header, the
    column it probably means).
    """
    return match_header(header).column


def enum_value(column: str, cell: str) -> str | None:
    """The canonical value of an enumeration cell, or ``None`` if it is not an accepted spelling."""
    return COLUMNS[column].synonyms.get(_norm(cell))


def normalise_token(text: str) -> str:
    """Public form of the normaliser used for headers and enumeration cells."""
    return _norm(text)


# --------------------------------------------------------------------------------------------
# Header spellings as data: schema_data/headers.yaml (aliases, units, resemblance hints)

_HEADER_FILE = Path(__file__).parent / "schema_data" / "headers.yaml"
_MARKS = str.maketrans({"【": "(", "】": ")", "〔": "(", "〕": ")", "[": "(", "]": ")", "{": "(", "}": ")"})
_REQUIRED = re.compile(r"^[*※#]+|[*※]+$|\((?:必填|选填|必选|可选|required|optional)\)")
_TRAILING_NOTE = re.compile(r"^(.+?)\(([^()]*)\)$")


def normalise_header(text: str) -> str:
    """A header cell as it is compared: NFKC, lower case, no blanks or line breaks, brackets as
    ``()``, required marks and a trailing colon removed.

    >>> normalise_header(" *车辆识别代号\\n（VIN） ")
    '车辆识别代号(vin)'
    >>> normalise_header("【必填】是否查封：")
    '是否查封'
    """
    key = _norm(text).translate(_MARKS).rstrip(":")
    previous = None
    while key != previous:
        previous, key = key, _REQUIRED.sub("", key).strip(":")
    return key


@dataclass(frozen=True)
class HeaderMatch:
    """What a header cell means: its column, the unit its bracket names, or what it resembles.

    >>> match_header("排量（L）")
    HeaderMatch(column='displacement_ml', unit='litre', hint=None)
    >>> match_header("是否被查封扣押过")
    HeaderMatch(column=None, unit=None, hint='seized')
    """

    column: str | None
    unit: str | None = None
    hint: str | None = None
    """For an unrecognised header: the canonical column it probably means (or ``None``)."""


@dataclass(frozen=True)
class _HeaderData:
    index: dict[str, str]
    units: dict[str, dict[str, str]]  # column → normalised unit spelling → unit code
    hints: tuple[tuple[str, str], ...]  # (normalised keyword, column), longest keyword first


@cache
def _header_data() -> _HeaderData:
    import yaml

    loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C build of the safe loader
    data = yaml.load(_HEADER_FILE.read_text(encoding="utf-8"), Loader=loader) or {}  # noqa: S506
    unknown = set(data) - {"aliases", "units", "hints"}
    if unknown:
        raise ValueError(f"{_HEADER_FILE.name}: unknown keys {sorted(unknown)}")
    index: dict[str, str] = {}

    def add(spelling: str, column: str) -> None:
        key = normalise_header(str(spelling))
        if index.get(key, column) != column:
            raise ValueError(f"{_HEADER_FILE.name}: {spelling!r} names both {index[key]} and {column}")
        index[key] = column

    for column in COLUMN_LIST:
        for spelling in (column.name, *column.aliases):
            add(spelling, column.name)
    for section in ("aliases", "units", "hints"):
        for name in data.get(section) or {}:
            if name not in COLUMNS:
                raise ValueError(f"{_HEADER_FILE.name}: {section}.{name} is not a column of the schema")
    for name, spellings in (data.get("aliases") or {}).items():
        for spelling in spellings:
            add(spelling, name)
    units = {
        name: {normalise_header(str(s)): code for code, spellings in table.items() for s in spellings}
        for name, table in (data.get("units") or {}).items()
    }
    hints = sorted(
        (
            (normalise_header(str(word)), name)
            for name, words in (data.get("hints") or {}).items()
            for word in words
        ),
        key=lambda pair: -len(pair[0]),
    )
    return _HeaderData(index, units, tuple(hints))


@cache
def match_header(header: str) -> HeaderMatch:
    """The column a header names (with the unit of its trailing bracket), or the one it resembles."""
    data = _header_data()
    key = normalise_header(header)
    if not key:
        return HeaderMatch(None)
    column = data.index.get(key)
    if column is not None:
        return HeaderMatch(column)
    note = _TRAILING_NOTE.match(key)
    if note:
        base, inner = note.group(1), note.group(2)
        column = data.index.get(base)
        if column is not None:
            unit = data.units.get(column, {}).get(inner)
            if unit is not None:
                return HeaderMatch(column, unit=unit)
            if not inner or data.index.get(inner) == column:
                return HeaderMatch(column)
            return HeaderMatch(None, hint=column)
    for word, name in data.hints:
        if word and word in key:
            return HeaderMatch(None, hint=name)
    close = difflib.get_close_matches(key, list(data.index), n=1, cutoff=0.75)
    return HeaderMatch(None, hint=data.index[close[0]] if close else None)


# What a cell the reader could not take should have held (texts of EXPECTED, as above).
EXPECTED.update(
    {
        "no_nul": {
            "zh": "不含 NUL 字符（␀）的文本",
            "en": "text without NUL characters (␀)",
            "ru": "текст без символов NUL (␀)",
            "ar": "نص بلا محارف NUL (␀)",
        },
        "cell_length": {
            "zh": "不超过 {limit} 个字符的文本",
            "en": "text of at most {limit} characters",
            "ru": "текст не длиннее {limit} символов",
            "ar": "نص لا يتجاوز {limit} حرفًا",
        },
        "excel_error": {
            "zh": "一个值，而不是 Excel 错误值 {error}（公式未能算出结果）",
            "en": "a value, not the Excel error {error} (a formula that failed)",
            "ru": "значение, а не ошибка Excel {error} (формула не вычислилась)",
            "ar": "قيمة، لا خطأ Excel {error} (صيغة تعذّر حسابها)",
        },
        "vin_text": {
            "zh": "以文本保存的 17 位车辆识别代号：Excel 已把它变成数字（如 1.23457E+16），"
            "请将该列设为“文本”后重新粘贴",
            "en": "a 17-character VIN stored as text: Excel turned it into a number (such as 1.23457E+16); "
            "format the column as Text and paste the VINs again",
            "ru": "VIN из 17 символов, сохранённый как текст: Excel превратил его в число "
            "(например, 1.23457E+16); задайте столбцу формат «Текст» и вставьте VIN заново",
            "ar": "رقم هيكل (VIN) من 17 حرفًا محفوظ كنص: حوّله Excel إلى رقم (مثل 1.23457E+16)؛ "
            "اجعل تنسيق العمود «نص» والصق أرقام الهيكل من جديد",
        },
        "decodable_text": {
            "zh": "可按 {encoding} 解码的文本（该单元格含无法解码的字节）",
            "en": "text readable as {encoding} (the cell holds bytes that cannot be decoded)",
            "ru": "текст в кодировке {encoding} (в ячейке есть байты, которые нельзя декодировать)",
            "ar": "نص يُقرأ بترميز {encoding} (في الخلية بايتات لا يمكن فك ترميزها)",
        },
    }
)


# The longest text each text column may hold: the web app's database columns
# (chuhai.web.vehicles.models.Vehicle, checked by tests/web); longer cells are the row's finding.
TEXT_LIMITS: dict[str, int] = {"vin": 100, "brand": 100, "model": 100, "manufacturer": 200, "owner_name": 200}
