"""The wheel works on its own: built, installed in a fresh virtual environment,
and run read-only (nothing is generated into site-packages at import time)."""

import os
import stat
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "mantis-shrimp.inkslop"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(ROOT)],
                   check=True, capture_output=True)
    (found,) = out.glob("inkslop-*.whl")
    return found


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    environment = tmp_path_factory.mktemp("venv")
    venv.create(environment, with_pip=True)
    python = environment / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", str(wheel)], check=True,
                   capture_output=True)
    return python


def test_the_wheel_carries_the_generated_tables_schema_and_grammars(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"inkslop/syntax/_lark_parser.py", "inkslop/schema/_schema.json", "inkslop/grammars/inkslop.lark",
            "inkslop/grammars/schema.toml", "inkslop/_version.py"} <= names


def test_the_installed_command_checks_scripts_from_a_read_only_install(installed, tmp_path):
    package = Path(subprocess.run(
        [str(installed), "-c", "import inkslop, os; print(os.path.dirname(inkslop.__file__))"],
        check=True, capture_output=True, text=True).stdout.strip())
    _make_read_only(package)
    try:
        bad = tmp_path / "bad.inkslop"
        bad.write_text('[tts engine="kokoro_tts" voice="af_heart"]\nIt costs [5 dollars\n[/tts]\n')
        env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        command = [str(installed.parent / "inkslop"), "check", "--color", "never"]
        clean = subprocess.run([*command, str(EXAMPLE)], capture_output=True, text=True, env=env,
                               cwd=tmp_path)
        assert clean.returncode == 0, clean.stderr
        assert "All checks passed" in clean.stdout
        broken = subprocess.run([*command, str(bad)], capture_output=True, text=True, env=env,
                                cwd=tmp_path)
        assert broken.returncode == 1
        assert "bad.inkslop:2:10: S008" in broken.stdout
        version = subprocess.run([str(installed), "-m", "inkslop", "--version"],
                                 capture_output=True, text=True, env=env)
        assert version.stdout.strip() == "inkslop 0.1.0"
        # The result cache's key reads the version from the module the build wrote.
        own = subprocess.run([str(installed), "-c", "from inkslop._version import __version__; "
                              "from inkslop.version import toolkit_version; "
                              "print(__version__, toolkit_version())"],
                             capture_output=True, text=True, env=env)
        assert own.stdout.split() == ["0.1.0", "0.1.0"]
    finally:
        _make_writable(package)


def _make_read_only(folder: Path) -> None:
    for path in [folder, *folder.rglob("*")]:
        path.chmod(path.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))


def _make_writable(folder: Path) -> None:
    for path in [folder, *folder.rglob("*")]:
        path.chmod(path.stat().st_mode | stat.S_IWUSR)
