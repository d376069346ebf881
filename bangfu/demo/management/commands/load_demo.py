import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from bangfu.demo import data
from bangfu.demo.build import build_demo


class Command(BaseCommand):
    help = (
        "Build the demo (the seeds' regions, organisations, pairings and the demo accounts), replacing an earlier "
        "demo load. Prints the accounts and their password."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", choices=data.SCALES, default="seed",
            help="seed: the figures of the seed articles, with 德保's and 汕尾's registered households (default). "
                 "full: adds households for all of Shenzhen's recipient counties (2.04 million people; minutes).",
        )
        parser.add_argument(
            "--without-households", action="store_true",
            help="Only regions, organisations, pairings and accounts (seconds instead of a minute).",
        )
        parser.add_argument(
            "--replace-production-data", action="store_true",
            help="Required with BANGFU_ENV=production: the demo replaces every organisation and pairing.",
        )
        parser.add_argument(
            "--password",
            help="Password of every demo account. Default: $BANGFU_DEMO_PASSWORD, else a generated one (printed).",
        )

    def handle(self, *args, scale, password, replace_production_data, without_households, **options):
        if settings.PRODUCTION and not replace_production_data:
            raise CommandError("This is a production database: the demo would replace its organisations and "
                               "pairings. Add --replace-production-data if that is what you want.")
        password = password or os.environ.get("BANGFU_DEMO_PASSWORD") or None
        with transaction.atomic():
            result = build_demo(scale=scale, password=password, stdout=self.stdout,
                                households=not without_households)
        self.stdout.write("")
        self.stdout.write("Demo accounts:")
        for account in result["accounts"]:
            self.stdout.write(f"  {account['username']:<8}  {account['role']:<12}  {account['scope']:<10}  "
                              f"{account['purpose']}")
        self.stdout.write(f"Password (all accounts): {result['password']}")
        self.stdout.write(self.style.SUCCESS("Log in at http://127.0.0.1:8000/"))
