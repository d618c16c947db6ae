#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys
from pathlib import Path


def load_env_file(path: Path) -> None:
    """Read KEY=VALUE lines from a local development file (`make setup` writes `.env` with
    DEBUG=true). The real environment always wins, and the web server (wsgi/asgi) never reads
    it: production is configured by its environment alone."""
    if not path.is_file():
        return
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = (part.strip() for part in line.split("=", 1))
        os.environ.setdefault(key, value.strip("\"'"))


def main():
    load_env_file(Path(os.environ.get("ENV_FILE", Path(__file__).resolve().parent / ".env")))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
