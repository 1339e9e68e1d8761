"""The rule catalogue the project promises (``docs/rule-catalog.md``) against the law data.

The catalogue is kept inside the project (a copy of the specification's public catalogue plus
Chuhai's additions), so a fresh clone checks its contract without anything beside it.
"""

from __future__ import annotations

import re
from pathlib import Path

from chuhai.engine import load_law
from chuhai.services.deadlines import KINDS

CATALOGUE = Path(__file__).resolve().parents[1] / "docs" / "rule-catalog.md"
_ROW = re.compile(r"^\| `([a-z_]+\.[a-z_0-9]+|[a-z_]+)` \|(.*)$", re.M)


def _sections() -> dict[str, list[tuple[str, list[str]]]]:
    """Heading → the table rows (id, the other cells) under it; the title's section is ``""``."""
    text = CATALOGUE.read_text(encoding="utf-8")
    out: dict[str, list[tuple[str, list[str]]]] = {}
    for block in re.split(r"^## ", text, flags=re.M):
        heading = block.splitlines()[0].strip() if not block.startswith("# ") else ""
        rows = [(m.group(1), [c.strip() for c in m.group(2).split("|")[:-1]]) for m in _ROW.finditer(block)]
        out[heading] = rows
    return out


def _ids(heading: str) -> set[str]:
    return {rule_id for rule_id, _ in _sections()[heading]}


def test_every_rule_of_the_public_catalogue_is_in_the_law() -> None:
    public = _ids("")
    assert len(public) >= 30
    missing = sorted(public - set(load_law().rules))
    assert not missing, f"catalogued but not in law/rules.yaml: {missing}"


def test_chuhai_additions_are_rules_with_the_catalogued_severity() -> None:
    law = load_law()
    rows = _sections()["Chuhai's additions"]
    assert len(rows) >= 9
    for rule_id, cells in rows:
        assert rule_id in law.rules, rule_id
        assert cells[0] == law.rules[rule_id].severity.value, rule_id


def test_every_rule_of_the_law_is_catalogued() -> None:
    catalogued = _ids("") | _ids("Chuhai's additions")
    missing = sorted(set(load_law().rules) - catalogued)
    assert not missing, f"rules of law/rules.yaml missing from docs/rule-catalog.md: {missing}"


def test_workflow_refusals_are_the_laws_workflow_rules() -> None:
    assert _ids("Workflow refusals") == set(load_law().workflow_rules)


def test_deadline_kinds_are_the_laws() -> None:
    law = load_law()
    used = {kind for meta in law.rules.values() for kind in meta.deadline_kinds}
    assert _ids("Deadlines") == used == set(KINDS)
