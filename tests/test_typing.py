"""engage/ type-checks: mypy, configured in pyproject.toml's [tool.mypy], finds no error."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MYPY = Path(sys.executable).parent / "mypy"


def _mypy(project: Path, cache: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(MYPY), "--cache-dir", str(cache), "--no-error-summary"],
        cwd=project,
        env={"PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_engage_has_no_type_error(tmp_path):
    result = _mypy(ROOT, tmp_path / "mypy_cache")
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_type_error_fails_the_check(tmp_path):
    project = tmp_path / "project"
    (project / "engage").mkdir(parents=True)
    (project / "pyproject.toml").write_text(
        (ROOT / "pyproject.toml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (project / "engage" / "__init__.py").write_text('count: int = "three"\n', encoding="utf-8")
    result = _mypy(project, tmp_path / "mypy_cache")
    assert result.returncode == 1
    assert "engage/__init__.py:1: error: Incompatible types in assignment" in result.stdout
