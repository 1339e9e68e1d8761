"""``load_demo``: the demo circulation enterprise in Chongqing with 200 vehicles (idempotent)."""

from typing import Any

from django.core.management.base import BaseCommand

from chuhai.web.cases.demo import load_demo


class Command(BaseCommand):
    help = "Load the demo enterprise (Chongqing, 200 vehicles in every state); prints the demo logins."

    def handle(self, *args: Any, **options: Any) -> None:
        load_demo(out=self.stdout.write)
