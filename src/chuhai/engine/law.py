"""The law as loaded data: references, dated parameters and rule metadata.

``law/references.yaml`` lists every legal source by a stable id. Each file
``law/parameters/<group>/<name>.yaml`` is one parameter, id ``group.name``, whose values are keyed by
the date they take effect (``null`` ends it), each with its confidence mark and reference.
``law/rules.yaml`` holds each rule's severity, period in force, references, confidence, its
message templates in Chinese, English, Russian and Arabic and the *phrases* those templates use: a
phrase group ``{name}`` is filled with the variant whose code the finding's fact ``name`` holds, in
the reader's language (see :mod:`chuhai.engine.messages`). The rule *logic* lives in
``chuhai.rules``; what the law says (numbers, dates, sources, wording) lives here.

The texts people read are in the four languages of the app (:data:`LAW_LANGUAGES`): reference titles,
parameter descriptions, value notes and gaps, and rule descriptions must have all four, so that no
reader silently falls back to another language. The Chinese title of a reference is the document's
own and authoritative; the other three are Chuhai's translations.

Texts people read may name legal numbers and sources instead of repeating them
(:mod:`chuhai.lawbook.texts`): ``{licence.max_vehicles_per_code}`` in a title or description is the
parameter's value, ``{ref:order-2012-12}`` anywhere (messages and phrases included) the reference's
citation. Titles and descriptions are filled with the values stated on the day the law is loaded
(:attr:`Law.texts_on`); a message never names a parameter, because a finding states the value it
used as a fact.

This module reads the sections above; :mod:`chuhai.lawbook` puts them together with the calendar,
the tariff, the destination markets, the WMI table, the declaration elements and the workflow rules
into one :class:`Law`, reading a local law directory over the shipped one. A law version string
(release + content hash of every effective file) is stamped on every result so a verdict can be
reproduced.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Container, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from chuhai.engine.lawfile import Checker, load_yaml
from chuhai.engine.model import Confidence, Severity
from chuhai.errors import LawError
from chuhai.lawbook.texts import fill_law_fields, law_fields

if TYPE_CHECKING:
    from chuhai.classification import CommodityTable, ProductNamePattern
    from chuhai.identifiers.vin import WmiEntry
    from chuhai.lawbook.declaration_elements import DeclarationElements
    from chuhai.lawbook.layout import LawFile
    from chuhai.lawbook.workflow import WorkflowRule
    from chuhai.markets import MarketTable
    from chuhai.workdays import WorkdayCalendar

PARAMETER_UNITS = ("days", "working_days", "months", "years", "count", "code", "flag", "table")
_INTEGER_UNITS = ("days", "working_days", "months", "years", "count")
_TEMPLATE_FIELD = re.compile(r"\{([a-z_][a-z0-9_]*)\}")
_PHRASE_GROUP = re.compile(r"[a-z][a-z0-9_]*")
# Variant codes are stored in findings' facts; a space is allowed for codes stored before phrases
# existed ("factory date").
_PHRASE_VARIANT = re.compile(r"[a-z0-9]+(?:[ _][a-z0-9]+)*")
_REFERENCE_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# How close the copy read is to the official text, best first (references.yaml header; law review
# 2026-12): a fact marked verified-in-source must rest on one of the first two.
TIERS = ("official-text", "verbatim-reprint", "secondary", "inferred")
PRIMARY_TIERS = ("official-text", "verbatim-reprint")
_URL = re.compile(r"https?://[^\s/]+\S*")
LAW_LANGUAGES = ("zh", "en", "ru", "ar")


@dataclass(frozen=True)
class Reference:
    id: str
    title_zh: str
    title_en: str
    title_ru: str
    title_ar: str
    number: str | None
    short: str | None
    issued: dt.date | None
    in_force: dt.date | None
    urls: tuple[str, ...]
    confidence: Confidence
    note: str | None = None
    tier: str = "secondary"

    @property
    def primary(self) -> bool:
        """Whether the copy read is the official text or a verbatim reprint of it."""
        return self.tier in PRIMARY_TIERS

    @property
    def cite_with_tier(self) -> str:
        """The citation and its tier, as findings show it: ``2024年第6号公告 [secondary]``."""
        return f"{self.cite} [{self.tier}]"

    @property
    def cite(self) -> str:
        """The short citation shown to users: its short form, the document number, else the title."""
        return self.short or self.number or self.title_zh

    def title(self, lang: str) -> str:
        """The title in one of :data:`LAW_LANGUAGES` (``zh`` is the official one, the others ours)."""
        titles = {"zh": self.title_zh, "en": self.title_en, "ru": self.title_ru, "ar": self.title_ar}
        try:
            return titles[lang]
        except KeyError:
            raise LawError(f"no reference titles in language {lang!r}") from None


@dataclass(frozen=True)
class ParameterValue:
    start: dt.date
    value: Any  # None means the parameter ends on ``start``
    confidence: Confidence
    reference: str
    note: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Parameter:
    id: str
    description: Mapping[str, str]
    unit: str
    values: tuple[ParameterValue, ...]  # sorted by start
    gaps: tuple[Mapping[str, str], ...] = ()

    def at(self, on: dt.date) -> ParameterValue | None:
        """The value entry in force on ``on``, or ``None`` before the first or after an ending ``null``."""
        current: ParameterValue | None = None
        for entry in self.values:
            if entry.start <= on:
                current = entry
            else:
                break
        if current is None or current.value is None:
            return None
        return current


@dataclass(frozen=True)
class RuleMeta:
    id: str
    severity: Severity
    title: Mapping[str, str]
    in_force_from: dt.date | None
    in_force_to: dt.date | None  # exclusive
    references: tuple[str, ...]
    confidence: Confidence
    parameters: tuple[str, ...]
    message: Mapping[str, str]
    description: Mapping[str, str]
    deadline_kinds: tuple[str, ...] = ()
    # group → variant code → language → text (may use the finding's facts as {fields})
    phrases: Mapping[str, Mapping[str, Mapping[str, str]]] = field(default_factory=dict)

    def in_force(self, on: dt.date) -> bool:
        if self.in_force_from is not None and on < self.in_force_from:
            return False
        return not (self.in_force_to is not None and on >= self.in_force_to)

    def template_fields(self) -> set[str]:
        """Every field the messages and their phrases name (phrase groups included)."""
        texts = list(self.message.values())
        texts += [t for variants in self.phrases.values() for v in variants.values() for t in v.values()]
        return {name for text in texts for name in _TEMPLATE_FIELD.findall(text)}


@dataclass(frozen=True)
class Law:
    """All of the law as loaded: one object, one version (see :mod:`chuhai.lawbook`)."""

    directory: Path  # the shipped law directory
    release: str
    digest: str  # sha256 over every effective file (name and bytes)
    references: Mapping[str, Reference]
    parameters: Mapping[str, Parameter]
    rules: Mapping[str, RuleMeta]
    calendar: WorkdayCalendar
    commodity: CommodityTable
    product_names: tuple[ProductNamePattern, ...]
    markets: MarketTable
    wmi: Mapping[str, WmiEntry]
    declaration_elements: DeclarationElements
    workflow_rules: Mapping[str, WorkflowRule]
    files: Mapping[str, LawFile]  # layout name → where it was read from
    texts_on: dt.date  # the date titles and descriptions state parameter values for
    local_dir: Path | None = None  # the local law directory read over the shipped one, if any
    text_parameters: frozenset[str] = frozenset()  # parameters named in titles and descriptions
    stamps: Mapping[str, tuple[int, int]] = field(default_factory=dict, repr=False, compare=False)

    @property
    def version(self) -> str:
        """Release and content hash, e.g. ``2026.11.22+3fa4c1d2e9``; ``2026.11.22+local.3fa4c1d2e9``
        when files of a local law directory are part of it."""
        local = "local." if self.local_files() else ""
        return f"{self.release}+{local}{self.digest[:10]}"

    def local_files(self) -> tuple[LawFile, ...]:
        """The files a local law directory contributes (replacing or adding), by name."""
        return tuple(f for f in self.files.values() if f.local)

    def parameter(self, parameter_id: str) -> Parameter:
        try:
            return self.parameters[parameter_id]
        except KeyError:
            raise LawError(f"unknown law parameter {parameter_id!r}") from None

    def entry(self, parameter_id: str, on: dt.date) -> ParameterValue:
        """The parameter's value entry in force on a date; a :class:`LawError` if there is none."""
        found = self.parameter(parameter_id).at(on)
        if found is None:
            raise LawError(f"law parameter {parameter_id!r} has no value in force on {on.isoformat()}")
        return found

    def value(self, parameter_id: str, on: dt.date) -> Any:
        return self.entry(parameter_id, on).value

    def rule(self, rule_id: str) -> RuleMeta:
        try:
            return self.rules[rule_id]
        except KeyError:
            raise LawError(f"unknown rule {rule_id!r}") from None

    def cite(self, reference_ids: tuple[str, ...] | list[str]) -> str:
        """The citations of a finding, each with its tier (official-text, verbatim-reprint, …)."""
        return "；".join(self.references[r].cite_with_tier for r in reference_ids)

    def fill(self, text: str, lang: str, on: dt.date | None = None, where: str = "text") -> str:
        """A text with its law fields (``{group.name}``, ``{since:…}``, ``{ref:…}``, ``{confidence:…}``)
        filled for ``on`` (default: :attr:`texts_on`); see :mod:`chuhai.lawbook.texts`."""
        return fill_law_fields(text, lang, self.references, self.parameters, on or self.texts_on, where)

    def texts_differ(self, on: dt.date) -> bool:
        """Whether titles and descriptions would state another value on ``on`` than on :attr:`texts_on`."""
        from chuhai.lawbook.texts import stated_entry

        for parameter_id in self.text_parameters:
            parameter = self.parameters[parameter_id]
            if stated_entry(parameter, on) != stated_entry(parameter, self.texts_on):
                return True
        return False


@dataclass(frozen=True)
class TextContext:
    """What the loader fills law fields from: references, parameters and the date texts state."""

    references: Mapping[str, Reference]
    parameters: Mapping[str, Parameter]
    on: dt.date
    named: set[str] = field(default_factory=set)  # parameters named so far (for Law.text_parameters)

    def fill(self, check: Checker, text: str, where: str, lang: str, *, parameters: bool = True) -> str:
        found = law_fields(text)
        if not found:
            return text
        if not parameters and any(kind in ("parameter", "since") for kind, _ in found):
            raise check.fail(
                where,
                "this text cannot name a law parameter (it may cite a reference, {ref:…}): a message or "
                "phrase shows the value the rule used as a fact, a parameter's texts describe only it",
            )
        self.named.update(key for kind, key in found if kind in ("parameter", "since"))
        where = f"{check.path}: {where}"
        return fill_law_fields(text, lang, self.references, self.parameters, self.on, where)


def _localised(
    check: Checker,
    value: Any,
    where: str,
    required: tuple[str, ...] = LAW_LANGUAGES,
    texts: TextContext | None = None,
    *,
    parameters: bool = True,
) -> dict[str, str]:
    """A text in several languages: every one of ``required``, optionally the others of
    :data:`LAW_LANGUAGES`, nothing else; law fields filled from ``texts`` where given."""
    mapping = check.mapping(value, where)
    check.keys(mapping, where, required=required, optional=set(LAW_LANGUAGES) - set(required))
    out = {lang: check.text(text, f"{where}.{lang}") for lang, text in mapping.items()}
    if texts is not None:
        out = {
            lang: texts.fill(check, text, f"{where}.{lang}", lang, parameters=parameters)
            for lang, text in out.items()
        }
    return out


def _fields(text: str) -> set[str]:
    return set(_TEMPLATE_FIELD.findall(text))


def _load_phrases(
    check: Checker, raw: Any, where: str, message: Mapping[str, str], context: TextContext | None = None
) -> dict[str, dict[str, dict[str, str]]]:
    """A rule's phrase groups: every variant in every language with the same placeholders, every group
    named by the message in every language, no phrase naming another phrase."""
    groups = check.mapping(raw, where)
    if not groups:
        raise check.fail(where, "expected at least one phrase group (leave the key out for none)")
    out: dict[str, dict[str, dict[str, str]]] = {}
    for group, raw_variants in groups.items():
        at = f"{where}.{group}"
        if not isinstance(group, str) or not _PHRASE_GROUP.fullmatch(group):
            raise check.fail(at, "a phrase group is named like a fact: lower-case letters, digits and _")
        variants = check.mapping(raw_variants, at)
        if not variants:
            raise check.fail(at, "expected at least one variant")
        out[group] = {}
        for variant, raw_texts in variants.items():
            vat = f"{at}.{variant}"
            if not isinstance(variant, str) or not _PHRASE_VARIANT.fullmatch(variant):
                raise check.fail(
                    vat, "a variant code is lower-case letters and digits joined by _ or a space"
                )
            texts = check.mapping(raw_texts, vat)
            check.keys(texts, vat, required=LAW_LANGUAGES, optional=())
            for lang in LAW_LANGUAGES:
                if not isinstance(texts[lang], str):
                    raise check.fail(f"{vat}.{lang}", f"expected text, got {texts[lang]!r}")
            empty = sorted(lang for lang in LAW_LANGUAGES if not texts[lang].strip())
            if empty and len(empty) != len(LAW_LANGUAGES):
                raise check.fail(vat, f"empty in {', '.join(empty)} only: a variant is empty in all or none")
            reference = _fields(texts["zh"])
            for lang in LAW_LANGUAGES[1:]:
                if _fields(texts[lang]) != reference:
                    raise check.fail(
                        f"{vat}.{lang}",
                        f"placeholders {sorted(_fields(texts[lang]))} differ from zh {sorted(reference)}",
                    )
            nested = sorted(reference & set(groups))
            if nested:
                raise check.fail(vat, f"a phrase cannot name another phrase: {', '.join(nested)}")
            out[group][variant] = {
                lang: str(texts[lang])
                if context is None
                else context.fill(check, str(texts[lang]), f"{vat}.{lang}", lang, parameters=False)
                for lang in LAW_LANGUAGES
            }
        for lang in LAW_LANGUAGES:
            if group not in _fields(message.get(lang, "")):
                raise check.fail(at, f"the {lang} message does not name the phrase {{{group}}}")
    return out


def _check_message_fields(check: Checker, message: Mapping[str, str], where: str) -> None:
    """Every language names the same facts (each may use its own form ``x_zh``, ``x_ru``… of ``x``)."""

    def neutral(text: str) -> set[str]:
        return {re.sub(r"_(zh|en|ru|ar)$", "", name) for name in _fields(text)}

    reference = neutral(message["zh"])
    for lang in LAW_LANGUAGES[1:]:
        found = neutral(message[lang])
        if found != reference:
            extra, lacking = sorted(found - reference), sorted(reference - found)
            raise check.fail(
                f"{where}.{lang}", f"names other facts than zh: extra {extra}, lacking {lacking}"
            )


def _load_references(path: Path) -> dict[str, Reference]:
    check = Checker(path)
    data = check.mapping(load_yaml(path), "(top level)")
    if not data:
        raise check.fail("(top level)", "no references")
    out: dict[str, Reference] = {}
    for ref_id, raw in data.items():
        where = str(ref_id)
        if not isinstance(ref_id, str) or not _REFERENCE_ID.fullmatch(ref_id):
            raise check.fail(where, "ids are lower-case words joined by hyphens")
        item = check.mapping(raw, where)
        check.keys(
            item,
            where,
            required={*(f"title_{lang}" for lang in LAW_LANGUAGES), "urls", "confidence", "tier"},
            optional={"number", "short", "issued", "in_force", "issuer", "note"},
        )
        urls = check.sequence(item["urls"], f"{where}.urls")
        if not urls:
            raise check.fail(f"{where}.urls", "at least one URL is required")
        for i, url in enumerate(urls):
            if not isinstance(url, str) or not _URL.fullmatch(url):
                raise check.fail(f"{where}.urls[{i}]", f"expected an http(s) URL, got {url!r}")
        if len(set(urls)) != len(urls):
            raise check.fail(f"{where}.urls", "duplicate URL")
        for key in ("issuer", "note"):
            if key in item:
                check.text(item[key], f"{where}.{key}")
        issued = check.date(item["issued"], f"{where}.issued") if "issued" in item else None
        in_force = check.date(item["in_force"], f"{where}.in_force") if "in_force" in item else None
        if issued is not None and in_force is not None and in_force < issued:
            raise check.fail(f"{where}.in_force", "in force before it was issued")
        tier = check.choice(item["tier"], f"{where}.tier", TIERS)
        confidence = check.confidence(item["confidence"], f"{where}.confidence")
        if confidence == Confidence.VERIFIED.value and tier not in PRIMARY_TIERS:
            raise check.fail(
                f"{where}.confidence",
                f"verified-in-source needs tier {' or '.join(PRIMARY_TIERS)}, the copy read is {tier}",
            )
        out[where] = Reference(
            id=where,
            title_zh=check.text(item["title_zh"], f"{where}.title_zh"),
            title_en=check.text(item["title_en"], f"{where}.title_en"),
            title_ru=check.text(item["title_ru"], f"{where}.title_ru"),
            title_ar=check.text(item["title_ar"], f"{where}.title_ar"),
            number=check.text(item["number"], f"{where}.number") if "number" in item else None,
            short=check.text(item["short"], f"{where}.short") if "short" in item else None,
            issued=issued,
            in_force=in_force,
            urls=tuple(urls),
            confidence=Confidence(confidence),
            note=str(item["note"]) if "note" in item else None,
            tier=tier,
        )
    return out


def _parameter_value(check: Checker, unit: str, value: Any, where: str) -> None:
    """A value of the parameter's unit: whole numbers ≥ 0, booleans, digit codes or a non-empty table."""
    if unit in _INTEGER_UNITS:
        if check.integer(value, where) < 0:
            raise check.fail(where, f"expected 0 or more, got {value}")
    elif unit == "flag":
        if not isinstance(value, bool):
            raise check.fail(where, f"expected true or false, got {value!r}")
    elif unit == "code":
        if not isinstance(value, str) or not re.fullmatch(r"[0-9]+", value):
            raise check.fail(where, f"expected a code of ASCII digits as a quoted string, got {value!r}")
    elif not isinstance(value, list | dict) or not value:
        raise check.fail(where, f"expected a non-empty list or mapping for a table, got {value!r}")


def _load_parameter(
    path: Path, parameter_id: str, references: Container[str], on: dt.date | None = None
) -> Parameter:
    check = Checker(path)
    # Parameter texts may cite references ({ref:…}); they describe a parameter, never quote another.
    texts = TextContext(references, {}, on) if on is not None and isinstance(references, Mapping) else None
    data = check.mapping(load_yaml(path), "(top level)")
    required = {"description", "unit", "reference", "values"}
    check.keys(data, "(top level)", required=required, optional={"gaps"})
    unit = check.choice(data["unit"], "unit", PARAMETER_UNITS)
    default_ref = check.text(data["reference"], "reference")
    if default_ref not in references:
        raise check.fail("reference", f"unknown reference id {default_ref!r}")
    raw_values = check.mapping(data["values"], "values")
    if not raw_values:
        raise check.fail("values", "at least one dated value is required")
    values: list[ParameterValue] = []
    previous: dt.date | None = None
    for start_raw, raw in raw_values.items():
        where = f"values.{start_raw}"
        if not isinstance(start_raw, dt.date) or isinstance(start_raw, dt.datetime):
            raise check.fail(where, f"expected an unquoted date YYYY-MM-DD as the key, got {start_raw!r}")
        start = start_raw
        if previous is not None and start <= previous:
            raise check.fail(where, f"dates must increase, {start} follows {previous}")
        previous = start
        if raw is None:
            if not values or values[-1].value is None:
                raise check.fail(where, "null ends a value, but no value is in force here")
            values.append(ParameterValue(start, None, Confidence.VERIFIED, default_ref))
            continue
        item = check.mapping(raw, where)
        check.keys(item, where, required={"value", "confidence"}, optional={"reference", "note"})
        ref = check.text(item.get("reference", default_ref), f"{where}.reference")
        if ref not in references:
            raise check.fail(f"{where}.reference", f"unknown reference id {ref!r}")
        value = item["value"]
        if value is None:
            raise check.fail(
                f"{where}.value", "a value is required (use a bare null entry to end a parameter)"
            )
        _parameter_value(check, unit, value, f"{where}.value")
        note = (
            _localised(check, item["note"], f"{where}.note", texts=texts, parameters=False)
            if "note" in item
            else {}
        )
        values.append(
            ParameterValue(
                start=start,
                value=value,
                confidence=Confidence(check.confidence(item["confidence"], f"{where}.confidence")),
                reference=ref,
                note=note,
            )
        )
    values.sort(key=lambda v: v.start)
    raw_gaps = check.sequence(data.get("gaps", []), "gaps")
    if "gaps" in data and not raw_gaps:
        raise check.fail("gaps", "expected a non-empty list")
    gaps = tuple(
        _localised(check, g, f"gaps[{i}]", texts=texts, parameters=False) for i, g in enumerate(raw_gaps)
    )
    return Parameter(
        id=parameter_id,
        description=_localised(check, data["description"], "description", texts=texts, parameters=False),
        unit=unit,
        values=tuple(values),
        gaps=gaps,
    )


def _load_rules(
    path: Path,
    references: Mapping[str, Reference],
    parameters: Mapping[str, Parameter],
    texts: TextContext | None = None,
) -> dict[str, RuleMeta]:
    check = Checker(path)
    data = check.mapping(load_yaml(path), "(top level)")
    out: dict[str, RuleMeta] = {}
    for rule_id, raw in data.items():
        where = str(rule_id)
        item = check.mapping(raw, where)
        check.keys(
            item,
            where,
            required={"severity", "title", "references", "confidence", "message"},
            optional={"in_force", "parameters", "description", "deadlines", "phrases"},
        )
        severity = Severity(check.choice(item["severity"], f"{where}.severity", [s.value for s in Severity]))
        in_from = in_to = None
        if "in_force" in item:
            period = check.mapping(item["in_force"], f"{where}.in_force")
            check.keys(period, f"{where}.in_force", required=(), optional={"from", "to"})
            if period.get("from") is not None:
                in_from = check.date(period["from"], f"{where}.in_force.from")
            if period.get("to") is not None:
                in_to = check.date(period["to"], f"{where}.in_force.to")
        refs = tuple(check.text(r, f"{where}.references") for r in check.sequence(item["references"], where))
        for ref in refs:
            if ref not in references:
                raise check.fail(f"{where}.references", f"unknown reference id {ref!r}")
        params = tuple(check.sequence(item.get("parameters", []), f"{where}.parameters"))
        for param in params:
            if param not in parameters:
                raise check.fail(f"{where}.parameters", f"unknown parameter {param!r}")
        deadlines = tuple(
            check.text(d, f"{where}.deadlines") for d in check.sequence(item.get("deadlines", []), where)
        )
        message = _localised(check, item["message"], f"{where}.message", required=LAW_LANGUAGES)
        _check_message_fields(check, message, f"{where}.message")
        phrases = (
            _load_phrases(check, item["phrases"], f"{where}.phrases", message, texts)
            if "phrases" in item
            else {}
        )
        if texts is not None:
            message = {
                lang: texts.fill(check, text, f"{where}.message.{lang}", lang, parameters=False)
                for lang, text in message.items()
            }
        out[where] = RuleMeta(
            id=where,
            severity=severity,
            title=_localised(check, item["title"], f"{where}.title", texts=texts),
            in_force_from=in_from,
            in_force_to=in_to,
            references=refs,
            confidence=Confidence(check.confidence(item["confidence"], f"{where}.confidence")),
            parameters=params,
            message=message,
            description=(
                _localised(check, item["description"], f"{where}.description", texts=texts)
                if "description" in item
                else {}
            ),
            deadline_kinds=deadlines,
            phrases=phrases,
        )
    return out


def load_law_from(directory: Path) -> Law:
    """Load and validate a whole law directory as the shipped law (no local directory, not cached);
    any problem raises :class:`LawError`."""
    from chuhai.lawbook import load_tree

    return load_tree(Path(directory))


def load_law() -> Law:
    """The law in force for this process: the shipped law with the configured local law directory
    read over it (:func:`chuhai.lawbook.current`, cached per directory)."""
    from chuhai.lawbook import current

    return current()


def check_verified_sources(
    references: Mapping[str, Reference],
    parameters: Mapping[str, Parameter],
    rules: Mapping[str, RuleMeta],
    parameter_paths: Mapping[str, Path],
    rules_path: Path,
) -> None:
    """Refuse a parameter value or rule marked verified-in-source that rests on no official text or
    verbatim reprint (law review 2026-12: sources on unrelated sites were marked "verified")."""
    for pid, parameter in parameters.items():
        for entry in parameter.values:
            if entry.confidence is Confidence.VERIFIED and not references[entry.reference].primary:
                raise Checker(parameter_paths[pid]).fail(
                    f"values.{entry.start.isoformat()}.confidence",
                    f"verified-in-source, but reference {entry.reference!r} is of tier "
                    f"{references[entry.reference].tier}: cite an official text or a verbatim reprint",
                )
    for rule in rules.values():
        # A rule with no reference is Chuhai's own check (input.invalid …): nothing to verify against.
        if (
            rule.confidence is Confidence.VERIFIED
            and rule.references
            and not any(references[r].primary for r in rule.references)
        ):
            raise Checker(rules_path).fail(
                f"{rule.id}.confidence",
                f"verified-in-source, but none of {list(rule.references)} is an official text or a "
                "verbatim reprint",
            )
