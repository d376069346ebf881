"""The `bangfu` console script: Django's management commands, with dashed names for ours.

`bangfu load-demo` runs the `load_demo` command; any Django command (`migrate`, `check`, `runserver`) works as is.
"""

import os
import sys


def main(argv=None):
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bangfu.settings")
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    argv[0] = "bangfu"
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
