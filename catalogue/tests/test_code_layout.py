"""The shape of the code that the parser redesign promised, held by tests.

Read from the source with ast, so a regression (a Django import in the
parser, a `try: import` fallback, a blanket `except Exception` that turns a
defect into missing data, an import cycle) fails here before it hides a bug.
"""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[1]
ROOT = APP.parent
PARSER = APP / "parsing"


def _app_modules() -> dict[str, Path]:
    """Dotted name -> file for the app's own modules (not tests, not migrations)."""
    modules = {}
    for path in APP.rglob("*.py"):
        relative = path.relative_to(ROOT).with_suffix("")
        if {"tests", "migrations"} & set(relative.parts):
            continue
        parts = list(relative.parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


def _imported_modules(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The app modules that module `name` imports, at its top or inside a function."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package
            for _ in range(node.level - 1):
                base = base.rpartition(".")[0]
            stem = node.module or ""
            base = f"{base}.{stem}".strip(".") if node.level else stem
            # "from . import article" names a module; "from .text import x", a name in one
            targets = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base
                for alias in node.names
            ]
        else:
            continue
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def _parser_files() -> list[Path]:
    return sorted(PARSER.glob("*.py"))


def test_the_parser_runs_without_django():
    modules = [f"catalogue.parsing.{p.stem}" for p in _parser_files() if p.stem != "__init__"]
    script = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in modules)
        + "print(sorted({m.split('.')[0] for m in sys.modules} & {'django', 'catalogue_site'}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize("path", _parser_files(), ids=lambda p: p.name)
def test_parser_module_imports_only_at_its_top(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    late = [
        node.lineno
        for function in ast.walk(tree)
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef | ast.Try)
        for node in ast.walk(function)
        if isinstance(node, ast.Import | ast.ImportFrom)
    ]
    assert late == [], f"{path.name}: imports inside a function or a try at lines {late}"


@pytest.mark.parametrize("path", _parser_files(), ids=lambda p: p.name)
def test_parser_never_swallows_an_unexpected_error(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    swallowed = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.ExceptHandler):
            continue
        broad = node.type is None or (
            isinstance(node.type, ast.Name) and node.type.id in {"Exception", "BaseException"}
        )
        if broad and not any(isinstance(n, ast.Raise) for n in ast.walk(node)):
            swallowed.append(node.lineno)
    assert swallowed == [], f"{path.name}: a broad except that does not raise at {swallowed}"


def test_the_app_has_no_import_cycle():
    known = _app_modules()
    graph = {name: _imported_modules(name, path, known) for name, path in known.items()}
    cycles = []
    state: dict[str, str] = {}

    def visit(name: str, trail: list[str]) -> None:
        state[name] = "open"
        for target in sorted(graph[name]):
            if state.get(target) == "open":
                cycles.append(trail[trail.index(target) :] + [target])
            elif target not in state:
                visit(target, trail + [target])
        state[name] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert cycles == []


def test_the_cycle_finder_sees_a_cycle(tmp_path):
    """The cycle test above could pass by reading nothing; this one shows it reads imports."""
    known = {"app.a": tmp_path / "a.py", "app.b": tmp_path / "b.py"}
    known["app.a"].write_text("from .b import thing\n")
    known["app.b"].write_text("from . import a\n")
    assert _imported_modules("app.a", known["app.a"], known) == {"app.b"}
    assert _imported_modules("app.b", known["app.b"], known) == {"app.a"}
