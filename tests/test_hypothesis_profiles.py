"""Property tests cannot fail by chance in `make test` and CI: the default profile is
derandomized with each test's written budget, and no test chooses its own randomness."""

import os
import re
from pathlib import Path

import pytest
from hypothesis import settings

from tests.fuzz import examples

ROOT = Path(__file__).resolve().parent.parent
OWN_RANDOMNESS = re.compile(r"\b(derandomize|database)\s*=")


@pytest.mark.skipif(
    os.environ.get("HYPOTHESIS_PROFILE", "ci") != "ci", reason="only the default profile"
)
def test_the_default_profile_tries_the_same_examples_every_run():
    assert settings.default.derandomize
    assert settings.default.database is None
    assert examples(30) == 30


def test_the_fuzz_profile_explores_many_more_random_examples():
    fuzz = settings.get_profile("fuzz")

    assert not fuzz.derandomize
    if "FUZZ_SCALE" not in os.environ:
        assert fuzz.max_examples >= 5 * settings.get_profile("ci").max_examples


def test_no_property_test_sets_its_own_randomness():
    """A test's own `derandomize` or `database` would beat the profiles: CI could fail by
    chance, or `make fuzz` would not explore it."""
    offenders = [
        str(path.relative_to(ROOT))
        for path in ROOT.glob("*/**/test_*.py")
        if ".venv" not in path.parts
        and "hypothesis" in (text := path.read_text())
        and OWN_RANDOMNESS.search(text)
    ]

    assert offenders == []
