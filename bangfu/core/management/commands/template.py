"""`bangfu template ENTITY FILE.xlsx`."""

from django.core.management.base import BaseCommand, CommandError

from bangfu.core.exports import entities
from bangfu.core.workbook import TemplateError, template_columns, write_template


class Command(BaseCommand):
    help = ("Writes a blank import template: the entity's Chinese headers (required ones in red), drop-downs for "
            "every choice and yes/no column, and a 说明 sheet explaining each column.")

    def add_arguments(self, parser):
        parser.add_argument("entity", help=f"one of: {', '.join(sorted(entities()))}")
        parser.add_argument("file", help="FILE.xlsx")

    def handle(self, *args, entity, file, **options):
        spec = entities().get(entity)
        if spec is None:
            raise CommandError(f"Unknown entity {entity!r}; one of: {', '.join(sorted(entities()))}.")
        try:
            write_template(spec, file)
        except TemplateError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Template for {entity} ({len(template_columns(spec))} columns) written to {file}")
