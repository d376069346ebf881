from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from bangfu.core import audit
from bangfu.core.models import ChangeLog
from bangfu.core.services import create_token


class Command(BaseCommand):
    help = ("Print a new API token for USER (send it as `Authorization: Bearer <token>`); it lasts BANGFU_TOKEN_DAYS "
            "days unless --days says otherwise.")

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--days", help="days until the token expires (at most BANGFU_TOKEN_MAX_DAYS)")
        parser.add_argument("--name", default="", help="what the token is for, shown in the list of tokens")

    def handle(self, username, days=None, name="", **options):
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {username!r}.")
        try:
            with audit.channel(ChangeLog.Via.CLI):
                _token, key = create_token(None, user, name=name, days=days)
        except ValidationError as error:
            raise CommandError("; ".join(f"--{field}: {' '.join(messages)}"
                                         for field, messages in error.message_dict.items())) from None
        self.stdout.write(key)
