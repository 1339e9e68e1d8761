"""Titles of the rule ids the case-management service refuses transitions with.

The engine's rules (``vehicle.encumbered``, ``exporter.filing_expired`` …) and the case workflow's own
ids (state, documents, batch bookkeeping: ``law/workflow_rules.yaml``) both carry their titles in the
law data (zh/en/ru/ar). :func:`explain` gives every rule id of a refusal a title in the active
language, for the API error body and the pages.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import get_language

from chuhai.engine.law import Law
from chuhai.errors import LawError


def _titles(rule_id: str) -> Mapping[str, str] | None:
    from chuhai.web.vehicles.screening import law

    current: Law = law()
    workflow = current.workflow_rules.get(rule_id)
    if workflow is not None:
        return workflow.title
    try:
        return current.rule(rule_id).title
    except LawError:
        return None


def title(rule_id: str) -> str:
    """The rule's title in the active language (workflow and engine rules from the law); an id the law
    does not know is shown as itself."""
    titles = _titles(rule_id)
    if titles is None:
        return rule_id
    language = (get_language() or "zh-hans").split("-")[0]
    return str(titles.get(language) or titles.get("en") or rule_id)


def explain(rule_ids: list[str] | tuple[str, ...]) -> list[dict[str, str]]:
    return [{"rule": r, "title": title(r)} for r in rule_ids]
