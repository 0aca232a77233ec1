"""The database's own functions, every version of each in a file of its own.

`<function>.v<N>.sql` holds version N of one function: comment lines saying what it does
and what changed, then a single `CREATE OR REPLACE FUNCTION` statement ending in `$$;`
(so the file also runs on its own in psql). A file is never edited once a migration has
run it: a change is a new file with the next number, and a migration that installs it
with `replace(name, N)` forward and `replace(name, N - 1)` backward (or `run(name, N)`).
The highest number is what the database runs today. Trigger definitions, indexes and
data refreshes stay in the migrations; `names` names the functions and triggers for the
code that calls or disables them.
"""

import re
from functools import cache
from pathlib import Path

from django.db import migrations

DIRECTORY = Path(__file__).resolve().parent
FILE_NAME = re.compile(r"(?P<name>\w+)\.v(?P<version>[1-9][0-9]*)\.sql")
REPLACE = "CREATE OR REPLACE FUNCTION "
CREATE = "CREATE FUNCTION "


def versions() -> dict[str, list[int]]:
    """Every function with a file, and its version numbers in order."""
    found: dict[str, list[int]] = {}
    for path in DIRECTORY.glob("*.sql"):
        match = FILE_NAME.fullmatch(path.name)
        if not match:
            raise ValueError(f"{path.name}: SQL files here are named <function>.v<N>.sql")
        found.setdefault(match["name"], []).append(int(match["version"]))
    return {name: sorted(numbers) for name, numbers in sorted(found.items())}


def latest(name: str) -> int:
    """The version the newest migration installs."""
    return versions()[name][-1]


@cache
def replace(name: str, version: int) -> str:
    """The statement of `<name>.v<version>.sql` without its comment lines, exactly as the
    file writes it (a migration's SQL is compared byte for byte with what it ran before)."""
    text = (DIRECTORY / f"{name}.v{version}.sql").read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    while lines and (lines[0].startswith("--") or not lines[0].strip()):
        lines.pop(0)
    statement = "".join(lines).strip()
    if not statement.startswith(f"{REPLACE}{name}(") or not statement.endswith("$$;"):
        raise ValueError(
            f"{name}.v{version}.sql: expected one {REPLACE}{name}(...) statement ending in $$;"
        )
    return statement


def create(name: str) -> str:
    """Version 1 as a plain CREATE FUNCTION: the migration adding a function fails rather
    than overwrite one of the same name."""
    return CREATE + replace(name, 1).removeprefix(REPLACE)


def drop(name: str) -> str:
    """DROP FUNCTION with the arguments of version 1 (PostgreSQL accepts their names)."""
    head = replace(name, 1).removeprefix(REPLACE)
    arguments = head[len(name) + 1 : head.index(")")]
    return f"DROP FUNCTION {name}({arguments});"


def run(name: str, version: int) -> migrations.RunSQL:
    """A migration operation installing `version`; reversed, it puts back the previous
    version, or drops the function if this is its first."""
    if version == 1:
        return migrations.RunSQL(create(name), drop(name))
    return migrations.RunSQL(replace(name, version), replace(name, version - 1))
