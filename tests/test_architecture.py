"""The layers hold: core imports no web or capability, no capability imports another's views or
forms (the contracts are in pyproject.toml's [tool.importlinter])."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _lint_imports(project: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo"],
        cwd=project,
        env={"PYTHONPATH": str(project), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_every_layer_contract_is_kept():
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("leak", "imports", "broken"),
    [
        (
            "social/leak.py",
            "engage.surveys.views",
            "only surveys imports surveys' views and forms BROKEN",
        ),
        ("core/leak.py", "engage.web", "core knows nothing of HTTP or of any capability BROKEN"),
    ],
)
def test_an_import_across_the_layers_breaks_a_contract(tmp_path, leak, imports, broken):
    shutil.copytree(ROOT / "engage", tmp_path / "engage", ignore=shutil.ignore_patterns("static"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / "engage" / leak).write_text(f"import {imports}  # noqa: F401\n")
    result = _lint_imports(tmp_path)
    assert result.returncode == 1
    assert broken in result.stdout


# What a service may not reach for: the request and the app are the caller's. Settings come
# through engage.core.settings, signed tokens through engage.core.signing, a missing row is a
# NotFound (engage.core.errors) that the error pages answer with 404.
REQUEST_BOUND = {"current_app", "request", "session", "g", "abort"}


def _service_modules() -> list[Path]:
    return sorted(
        [*ROOT.glob("engage/*/services.py"), *ROOT.glob("engage/*/services/*.py")],
    )


def _flask_names_imported(module: Path) -> set[str]:
    import ast

    names = set()
    for node in ast.walk(ast.parse(module.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module == "flask":
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.Import) and any(a.name == "flask" for a in node.names):
            names.add("flask")
    return names


def test_services_take_no_request_app_or_session_from_flask():
    modules = _service_modules()
    assert len(modules) > 40  # the glob still finds the services
    leaks = {
        str(module.relative_to(ROOT)): sorted(
            _flask_names_imported(module) & (REQUEST_BOUND | {"flask"})
        )
        for module in modules
    }
    assert {name: found for name, found in leaks.items() if found} == {}
