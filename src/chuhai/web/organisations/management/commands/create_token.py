"""``create_token USERNAME [--name NAME]``: an API token for a user, printed once."""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from chuhai.web.organisations.services import issue_token


class Command(BaseCommand):
    help = "Create an API token (Authorization: Bearer <token>) for a user; the token is printed once."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="cli")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = get_user_model().objects.get(username=options["username"])
        except get_user_model().DoesNotExist:
            raise CommandError(f"no user {options['username']!r}") from None
        _token, raw = issue_token(user, options["name"])
        self.stdout.write(raw)
