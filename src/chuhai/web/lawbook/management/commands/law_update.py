"""``python -m chuhai.web law_update``: if open vehicles were screened with another law than the one
now in force (the local law directory ``CHUHAI_DATA_DIR/law`` was edited, or a new release is
installed), screen every open vehicle again and record which verdicts changed. ``chuhai serve`` runs
it at start-up."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from chuhai.errors import LawError
from chuhai.web.lawbook import services


class Command(BaseCommand):
    help = "Screen the stock again if the law changed since the vehicles were screened."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            change = services.detect_change()
            status = services.law_status()
        except LawError as exc:
            raise CommandError(f"the law cannot be read, nothing was screened: {exc}") from None
        if change is None:
            self.stdout.write(f"law {status.version}: every open vehicle was screened with it")
        else:
            self.stdout.write(
                f"law {change.before_version} → {change.after_version}: {change.screened} open vehicle(s) "
                f"screened again, {change.changed_count} changed verdict"
            )
            for row in change.verdict_changes:
                self.stdout.write(
                    f"  {row['vin']}  {row['before'] or '—'} → {row['after']}  ({row['organisation']})"
                )
        message = status.horizon.message("en")
        if message:
            self.stderr.write(message)
