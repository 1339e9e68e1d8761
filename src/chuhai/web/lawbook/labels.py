"""The law pages' names for the sections of a law diff (:data:`chuhai.lawbook.diff.SECTIONS`), the kinds
of change and the kinds of calendar day, in the reader's language."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from chuhai.workdays import DayKind

SECTIONS = {
    "files": _("Files"),
    "parameters": _("Parameters"),
    "rules": _("Rules"),
    "workflow rules": _("Workflow rules"),
    "references": _("Sources"),
    "commodity codes": _("Commodity codes"),
    "calendar": _("Working-day calendar"),
    "markets": _("Destination markets"),
    "wmi": _("Manufacturer codes (WMI)"),
    "declaration elements": _("Declaration elements"),
}

CHANGE_KINDS = {"added": _("added"), "removed": _("removed"), "changed": _("changed")}

DAY_KINDS = {
    DayKind.WORKDAY.value: _("working day"),
    DayKind.WEEKEND.value: _("weekend"),
    DayKind.HOLIDAY.value: _("holiday"),
    DayKind.MAKEUP_WORKDAY.value: _("make-up working day"),
}
