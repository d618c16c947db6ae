import logging

import pytest

from accounts.audit import JsonFormatter


class AuditLog:
    """The audit lines ("cms.audit") a test's requests wrote, as the dicts `audit()` logged."""

    def __init__(self, caplog):
        self.caplog = caplog

    def records(self):
        return [r for r in self.caplog.records if r.name == "cms.audit"]

    def events(self, name):
        return [r.audit for r in self.records() if r.audit["event"] == name]

    def lines(self, prefix=""):
        """Every line whose event starts with `prefix` ("admin." for the admin's lines)."""
        return [r.audit for r in self.records() if r.audit["event"].startswith(prefix)]

    def one(self, name) -> dict:
        (event,) = self.events(name)
        return event

    def text(self) -> str:
        """Every line as it is written to stdout."""
        return "\n".join(JsonFormatter().format(r) for r in self.records())


@pytest.fixture
def audit_log(caplog):
    caplog.set_level(logging.INFO, logger="cms.audit")
    return AuditLog(caplog)
