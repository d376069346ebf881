"""`bangfu db_worker`: django-tasks-db's worker, named after its machine and process, which first marks failed the
tasks dead workers left RUNNING (core.tasks.fail_abandoned). It takes the place of django-tasks-db's own command
because bangfu.core comes before django_tasks_db in INSTALLED_APPS."""

from django_tasks_db.management.commands.db_worker import Command as WorkerCommand
from django_tasks_db.management.commands.db_worker import logger

from bangfu.core.tasks import fail_abandoned, worker_id


class Command(WorkerCommand):
    help = WorkerCommand.help + "; first marks failed the tasks that workers which died left running"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(worker_id=worker_id())

    def handle(self, *args, worker_id: str, **options):
        self.configure_logging(options["verbosity"])
        if failed := fail_abandoned(worker_id):
            logger.warning("Marked %d task(s) failed that a worker which died left running.", failed)
        return super().handle(*args, worker_id=worker_id, **options)
