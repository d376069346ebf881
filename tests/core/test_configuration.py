"""Configuration: every BANGFU_* variable the documentation names is read by the code and listed in
docs/configuration.md, and every variable the code reads is listed there; a value set in the environment reaches the
code that uses it, and a bad value stops the program at start with a message naming the variable.

Two settings were once documented and never read (BANGFU_UNSPENT_DAYS, BANGFU_LIVELIHOOD_CATEGORIES: the code took
`getattr(settings, "BANGFU_…", constant)`, always the constant); the tests below would have caught both."""

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from bangfu.funds import figures

ROOT = Path(__file__).resolve().parents[2]
NAME = re.compile(r"BANGFU_[A-Z0-9_]*[A-Z0-9]")
ENV_HELPERS = ("_env", "_env_int", "_env_choice", "_env_flag", "_env_list", "_env_amount")  # in bangfu/settings.py


def listed() -> dict[str, str]:
    """docs/configuration.md: the variables in the first column of its tables → the row (default and meaning)."""
    rows = {}
    for line in (ROOT / "docs" / "configuration.md").read_text().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")] if line.startswith("|") else []
        if len(cells) == 3 and not set(cells[0]) <= set("-: "):
            for name in NAME.findall(cells[0]):
                rows[name] = line
    return rows


def mentioned() -> dict[str, list[str]]:
    """Every BANGFU_ name the documentation mentions anywhere (README and docs/, configuration.md included)."""
    names: dict[str, list[str]] = {}
    for path in [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]:
        for name in NAME.findall(path.read_text()):
            names.setdefault(name, []).append(str(path.relative_to(ROOT)))
    return names


def _is_environ(node) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "environ" and isinstance(node.value, ast.Name) \
        and node.value.id == "os"


def _name(node) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) and NAME.fullmatch(
        node.value) else None


def reads_in(tree) -> set[str]:
    """Names read from the environment: os.environ.get/[]/in, os.getenv, and the checking helpers of settings.py."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.args and (name := _name(node.args[0])):
            func = node.func
            if (isinstance(func, ast.Attribute) and func.attr == "get" and _is_environ(func.value)) or (
                    isinstance(func, ast.Attribute) and func.attr == "getenv") or (
                    isinstance(func, ast.Name) and func.id in ENV_HELPERS):
                found.add(name)
        elif isinstance(node, ast.Subscript) and _is_environ(node.value):  # os.environ["BANGFU_…"]
            found.add(_name(node.slice))
        elif isinstance(node, ast.Compare) and any(_is_environ(c) for c in node.comparators):  # "…" in os.environ
            found.add(_name(node.left))
    found.discard(None)
    return found


def python_files():
    for folder in ("bangfu", "tests"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "migrations" not in path.parts and path != Path(__file__).resolve():
                yield path


def read() -> dict[str, list[str]]:
    """Every BANGFU_ variable the code reads: Python (the package and the tests), the Makefile and CI's script."""
    names: dict[str, list[str]] = {}
    for path in python_files():
        for name in reads_in(ast.parse(path.read_text(), str(path))):
            names.setdefault(name, []).append(str(path.relative_to(ROOT)))
    for path in (ROOT / "Makefile", ROOT / ".ci" / "run"):
        if path.exists():
            for name in re.findall(r"\$\$?\{?(BANGFU_[A-Z0-9_]*[A-Z0-9])", path.read_text()):
                names.setdefault(name, []).append(str(path.relative_to(ROOT)))
    return names


def test_every_variable_read_is_documented_and_every_documented_one_is_read():
    documented, code = listed(), read()
    assert "BANGFU_UNSPENT_DAYS" in code and "BANGFU_LIVELIHOOD_CATEGORIES" in code
    not_read = sorted(set(documented) - set(code))
    assert not not_read, f"listed in docs/configuration.md, read nowhere: {not_read}"
    undocumented = {name: where for name, where in code.items() if name not in documented}
    assert not undocumented, f"read, but not listed in docs/configuration.md: {undocumented}"


def test_every_variable_the_documentation_mentions_is_listed():
    unlisted = {name: where for name, where in mentioned().items() if name not in listed()}
    assert not unlisted, f"mentioned in the documentation, missing from docs/configuration.md: {unlisted}"


def test_every_listed_variable_has_a_default_and_a_meaning():
    for name, line in listed().items():
        _variable, default, meaning = (c.strip() for c in line.strip().strip("|").split("|"))
        assert default and meaning, name


def test_settings_read_the_environment_only_through_the_checking_helpers():
    """So that each value is checked: no bare os.environ / os.getenv in settings.py outside `_env`."""
    tree = ast.parse((ROOT / "bangfu" / "settings.py").read_text())
    helper = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "_env")
    inside = {id(node) for node in ast.walk(helper)}
    bare = [node.lineno for node in ast.walk(tree) if id(node) not in inside
            and (_is_environ(node) or (isinstance(node, ast.Attribute) and node.attr == "getenv"))]
    assert not bare, f"settings.py reads the environment outside _env on lines {bare}"


def test_no_code_looks_up_a_setting_by_its_variable_name():
    """The old defect: `getattr(settings, "BANGFU_UNSPENT_DAYS", 180)` names a setting that never exists, so it is
    always the constant. A Django setting drops the BANGFU_ prefix (UNSPENT_DAYS)."""
    offending = []
    for path in python_files():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and len(node.args) >= 2 \
                    and node.func.id in ("getattr", "hasattr") and _name(node.args[1]):
                offending.append(f"{path.relative_to(ROOT)}:{node.lineno}")
            if isinstance(node, ast.Attribute) and NAME.fullmatch(node.attr):
                offending.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not offending


# --- The two that were never read: the environment reaches the code that uses them. ----------------------------------


def run_with(tmp_path, code: str, **variables) -> subprocess.CompletedProcess:
    """`code` in a fresh Python with DJANGO_SETTINGS_MODULE=bangfu.settings and the variables set."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BANGFU_")}
    env.update(DJANGO_SETTINGS_MODULE="bangfu.settings", BANGFU_VAR_DIR=str(tmp_path), **variables)
    return subprocess.run([sys.executable, "-c", f"import django; django.setup(); {code}"], capture_output=True,
                          text=True, env=env, cwd=ROOT, timeout=120)


PRINT = ("from django.conf import settings; from bangfu.funds import figures; "
         "print(settings.UNSPENT_DAYS, figures.unspent_days()); "
         "print(','.join(settings.LIVELIHOOD_CATEGORIES), ','.join(figures.livelihood_categories()))")


def test_unspent_days_and_livelihood_categories_come_from_the_environment(tmp_path):
    result = run_with(tmp_path, PRINT)
    assert result.returncode == 0, result.stderr
    default = "education,health,housing,water,infrastructure,employment"
    assert result.stdout.splitlines() == ["180 180", f"{default} {default}"]
    result = run_with(tmp_path, PRINT, BANGFU_UNSPENT_DAYS="45", BANGFU_LIVELIHOOD_CATEGORIES=" water, health ,")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["45 45", "water,health water,health"]


@pytest.mark.parametrize("variable, value, expected", [
    ("BANGFU_UNSPENT_DAYS", "half a year", "whole number"),
    ("BANGFU_UNSPENT_DAYS", "-1", "whole number"),
    ("BANGFU_LIVELIHOOD_CATEGORIES", "教育;卫生", "category codes"),
    ("BANGFU_ENV", "prod", "development, production"),
    ("BANGFU_DEBUG", "yes", "1, 0"),
    ("BANGFU_TASKS", "celery", "database, immediate"),
    ("BANGFU_LOGIN_FAILURE_LIMIT", "0", "whole number"),
    ("BANGFU_TIME_ZONE", "Asia/Beijing", "time zone"),
    ("BANGFU_DATABASE_URL", "mongodb://db/bangfu", "database URL"),
    ("BANGFU_CSRF_TRUSTED_ORIGINS", "bangfu.example.org", "scheme"),
    ("BANGFU_LABOR_MAX_AGE", "12", "whole number from 16"),
    ("BANGFU_LABOR_RETENTION_MONTHLY", "300元", "amount of yuan"),
    ("BANGFU_LABOR_TRANSPORT_AMOUNTS", "in_province:300", "place=amount"),
])
def test_a_bad_value_stops_the_start_naming_the_variable(tmp_path, variable, value, expected):
    result = run_with(tmp_path, "pass", **{variable: value})
    assert result.returncode != 0
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("django.core.exceptions.ImproperlyConfigured") and variable in last and expected in last, \
        result.stderr


def test_an_unknown_livelihood_category_is_refused_by_the_figures(tmp_path):
    result = run_with(tmp_path, PRINT, BANGFU_LIVELIHOOD_CATEGORIES="education,healthcare")
    assert result.returncode != 0 and "healthcare" in result.stderr and "BANGFU_LIVELIHOOD_CATEGORIES" in result.stderr


def test_the_figures_take_the_setting_not_a_constant():
    """In-process: the functions the pages and the API call follow the setting (the supervision page and its API
    are shown following it in test_funds_supervision.py)."""
    with override_settings(UNSPENT_DAYS=7, LIVELIHOOD_CATEGORIES=("water",)):
        assert figures.unspent_days() == 7 and figures.livelihood_categories() == ("water",)
    unknown = override_settings(LIVELIHOOD_CATEGORIES=("water", "wells"))
    with unknown, pytest.raises(ImproperlyConfigured, match="wells"):
        figures.livelihood_categories()
