"""manage.py reads a local .env for development; the real environment always wins."""

import os
import subprocess
import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent


def manage(env_file: Path, **environ):
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=PROJECT_DIR,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "ENV_FILE": str(env_file), **environ},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_debug_from_the_env_file_lets_manage_py_start_without_a_secret_key(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("# comment\n\nDEBUG=true\n")

    result = manage(env_file)

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_real_environment_wins_over_the_env_file(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("DEBUG=true\n")

    result = manage(env_file, DEBUG="false")

    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off." in result.stderr


def test_without_an_env_file_production_defaults_apply(tmp_path):
    result = manage(tmp_path / "missing.env")

    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off." in result.stderr
