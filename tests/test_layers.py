"""The stages import only downward (docs/architecture.md): import-linter's contract in
pyproject.toml, run as a user would run it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def lint_imports() -> subprocess.CompletedProcess[str]:
    command = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert command, "import-linter is part of the test extra"
    return subprocess.run([command, "--no-cache"], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)


def test_no_stage_imports_a_stage_above_it():
    result = lint_imports()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 1 kept, 0 broken." in result.stdout


def test_the_contract_names_every_stage():
    import tomllib

    layers = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"][
        "contracts"][0]["layers"]
    named = {name.strip() for layer in layers for name in layer.split("|")}
    package = ROOT / "dsl" / "inkslop"
    stages = {f"inkslop.{p.name}" for p in package.iterdir()
              if (p / "__init__.py").exists() and p.name != "config"}
    stages |= {"inkslop.config.settings", "inkslop.config.loader"}
    assert stages <= named, f"stages outside the contract: {sorted(stages - named)}"
