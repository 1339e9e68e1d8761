"""``create_enterprise``: the platform operator registers an exporting enterprise and its first admin."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from chuhai.errors import ChuhaiError
from chuhai.identifiers import uscc
from chuhai.web.organisations.models import EnterpriseKind, Organisation, Role
from chuhai.web.organisations.services import create_user


class Command(BaseCommand):
    help = "Create an exporting enterprise (USCC validated) with an admin user."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--name", required=True)
        parser.add_argument("--uscc", required=True)
        parser.add_argument("--kind", required=True, choices=EnterpriseKind.values)
        parser.add_argument("--admin", required=True, help="username of the enterprise's first admin")
        parser.add_argument("--password", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            code = uscc.validate(options["uscc"])
            with transaction.atomic():
                org = Organisation.objects.create(
                    name=options["name"], uscc=code, enterprise_kind=options["kind"]
                )
                create_user(org, options["admin"], options["password"], Role.ADMIN)
        except ChuhaiError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"created {org.name} (id {org.pk}) with admin {options['admin']}")
