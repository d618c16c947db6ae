"""config/settings.py reads the environment and fails loudly on anything it cannot use.

Each case imports the settings in a fresh interpreter with an environment built from scratch, so
nothing from the shell running the tests (a DATABASE_URL, a DEBUG) leaks in.
"""

import datetime
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django import forms
from django.utils import formats

PROJECT_DIR = Path(__file__).resolve().parent.parent

PRINT_SETTINGS = """
import json
import config.settings as s
database = s.DATABASES["default"]
print(json.dumps({
    "DEBUG": s.DEBUG,
    "SECRET_KEY": s.SECRET_KEY,
    "DATABASE": {key: str(database[key]) for key in ("ENGINE", "NAME", "USER", "HOST", "PORT")},
    "TIME_ZONE": s.TIME_ZONE,
    "MEDIA_ROOT": str(s.MEDIA_ROOT),
}))
"""


def import_settings(**environ):
    """Import config.settings in a subprocess with only PATH plus `environ` set."""
    return subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS],
        cwd=PROJECT_DIR,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **environ},
        capture_output=True,
        text=True,
        timeout=60,
    )


def loaded_settings(**environ):
    result = import_settings(**environ)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_secret_key_is_required_when_debug_is_off():
    result = import_settings(DEBUG="false")

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


def test_secret_key_is_required_when_debug_is_not_set_at_all():
    result = import_settings()

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_debug_on_runs_without_a_secret_key():
    settings = loaded_settings(DEBUG="true")

    assert settings["DEBUG"] is True
    assert settings["SECRET_KEY"]


def test_given_secret_key_is_used():
    settings = loaded_settings(DEBUG="false", SECRET_KEY="from-the-environment")

    assert (settings["DEBUG"], settings["SECRET_KEY"]) == (False, "from-the-environment")


def test_debug_that_is_neither_true_nor_false_is_a_configuration_error():
    result = import_settings(DEBUG="maybe", SECRET_KEY="s")

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DEBUG must be true or false, not 'maybe'" in result.stderr


def test_without_database_url_the_database_is_sqlite_in_the_project_directory():
    settings = loaded_settings(SECRET_KEY="s")

    assert settings["DATABASE"]["ENGINE"] == "django.db.backends.sqlite3"
    assert settings["DATABASE"]["NAME"] == str(PROJECT_DIR / "db.sqlite3")


@pytest.mark.parametrize("scheme", ["postgres", "postgresql"])
def test_postgres_database_url_selects_postgresql(scheme):
    settings = loaded_settings(
        SECRET_KEY="s", DATABASE_URL=f"{scheme}://cms:pw@db.internal:5433/cms_prod"
    )

    assert settings["DATABASE"] == {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "cms_prod",
        "USER": "cms",
        "HOST": "db.internal",
        "PORT": "5433",
    }


def test_a_malformed_number_is_a_configuration_error():
    result = import_settings(SECRET_KEY="s", CONN_MAX_AGE="sixty")

    assert result.returncode != 0
    assert "CONN_MAX_AGE must be a whole number, not 'sixty'" in result.stderr


def test_empty_database_url_also_means_sqlite():
    settings = loaded_settings(SECRET_KEY="s", DATABASE_URL="")

    assert settings["DATABASE"]["ENGINE"] == "django.db.backends.sqlite3"


def test_time_zone_defaults_to_india():
    assert loaded_settings(SECRET_KEY="s")["TIME_ZONE"] == "Asia/Kolkata"


def test_time_zone_can_be_set():
    assert loaded_settings(SECRET_KEY="s", TIME_ZONE="Asia/Dubai")["TIME_ZONE"] == "Asia/Dubai"


def test_blank_time_zone_means_the_default():
    # A blank TIME_ZONE= line would otherwise crash the first page that shows a date.
    assert loaded_settings(SECRET_KEY="s", TIME_ZONE="")["TIME_ZONE"] == "Asia/Kolkata"


def test_media_root_defaults_to_media_in_the_project_directory():
    assert loaded_settings(SECRET_KEY="s")["MEDIA_ROOT"] == str(PROJECT_DIR / "media")


def test_blank_media_root_as_in_env_example_means_the_default():
    # .env.example ships `MEDIA_ROOT=`; uploads must not land in the working directory.
    assert loaded_settings(SECRET_KEY="s", MEDIA_ROOT="")["MEDIA_ROOT"] == str(
        PROJECT_DIR / "media"
    )


def test_every_variable_the_settings_read_is_documented_in_env_example():
    source = (PROJECT_DIR / "config" / "settings.py").read_text()
    read = set(re.findall(r'(?:environ\.get|env_bool|env_int|env_list)\(\s*"(\w+)"', source))
    example = (PROJECT_DIR / ".env.example").read_text()
    documented = set(re.findall(r"^#?\s*(\w+)=", example, flags=re.MULTILINE))

    assert read
    assert read - documented == set()


def test_dates_are_shown_day_first():
    enquiry = datetime.date(2025, 3, 7)

    assert formats.date_format(enquiry) == "07/03/2025"
    assert formats.date_format(enquiry, "SHORT_DATE_FORMAT") == "07/03/2025"


def test_date_times_are_shown_day_first():
    moment = datetime.datetime(2025, 3, 7, 16, 5)

    assert formats.date_format(moment, "DATETIME_FORMAT") == "07/03/2025 16:05"


def test_dates_are_typed_day_first():
    assert forms.DateField().clean("07/03/2025") == datetime.date(2025, 3, 7)
