"""The case workflow's own rule ids (``law/workflow_rules.yaml``): a stable id and a title in every
language of the app, read as strictly as the engine's rules (see the file's header)."""

from __future__ import annotations

import re
from collections.abc import Callable, Container, Mapping
from dataclasses import dataclass
from pathlib import Path

from chuhai.engine.lawfile import Checker, load_yaml

_RULE_ID = re.compile(r"[a-z][a-z_]*\.[a-z][a-z0-9_]*")


@dataclass(frozen=True)
class WorkflowRule:
    id: str
    title: Mapping[str, str]  # zh, en, ru, ar
    references: tuple[str, ...] = ()


def load_workflow_rules(
    path: Path,
    references: Container[str],
    engine_rules: Container[str],
    localised: Callable[[Checker, object, str], dict[str, str]],
) -> dict[str, WorkflowRule]:
    """Read ``workflow_rules.yaml``; ``localised`` reads a four-language text (the engine's reader,
    which also fills law fields). An id that is also an engine rule is refused: one id, one meaning."""
    check = Checker(path)
    data = check.mapping(load_yaml(path), "(top level)")
    out: dict[str, WorkflowRule] = {}
    for rule_id, raw in data.items():
        where = str(rule_id)
        if not isinstance(rule_id, str) or not _RULE_ID.fullmatch(rule_id):
            raise check.fail(where, "a rule id is area.name in lower-case letters, digits and _")
        if rule_id in engine_rules:
            raise check.fail(
                where, "is also a rule of rules.yaml: delete it here (the engine rule titles it)"
            )
        item = check.mapping(raw, where)
        check.keys(item, where, required={"title"}, optional={"references"})
        refs = tuple(
            check.text(r, f"{where}.references") for r in check.sequence(item.get("references", []), where)
        )
        for ref in refs:
            if ref not in references:
                raise check.fail(f"{where}.references", f"unknown reference id {ref!r}")
        out[rule_id] = WorkflowRule(rule_id, localised(check, item["title"], f"{where}.title"), refs)
    return out
