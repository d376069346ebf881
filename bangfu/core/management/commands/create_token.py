from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from bangfu.core.models import ApiToken


class Command(BaseCommand):
    help = "Print a new API token for USER (send it as `Authorization: Bearer <token>`)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, username, **options):
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {username!r}.")
        self.stdout.write(ApiToken.objects.issue(user))
