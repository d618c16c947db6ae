"""Browser tests skip without Chromium, unless REQUIRE_BROWSER (set by CI) says they must run."""

import pytest

from .conftest import chromium_or_skip


def test_chromium_found(tmp_path):
    chromium = tmp_path / "chromium"
    chromium.touch()

    assert chromium_or_skip(chromium) == str(chromium)


def test_missing_chromium_skips(tmp_path, monkeypatch):
    monkeypatch.delenv("REQUIRE_BROWSER", raising=False)

    with pytest.raises(pytest.skip.Exception, match="apt-get install chromium"):
        chromium_or_skip(tmp_path / "chromium")


def test_missing_chromium_fails_when_required(tmp_path, monkeypatch):
    monkeypatch.setenv("REQUIRE_BROWSER", "1")

    with pytest.raises(pytest.fail.Exception, match="REQUIRE_BROWSER"):
        chromium_or_skip(tmp_path / "chromium")
