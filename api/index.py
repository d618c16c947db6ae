"""Vercel's entry point for the web process: Django's WSGI application, named `app`.

vercel.json sends every path here; static files are served by WhiteNoise from STATIC_ROOT,
which the build command fills with collectstatic. docs/deployment.md ("Vercel") lists what
Vercel cannot do and the settings it needs.
"""

import sys
from pathlib import Path

# Vercel imports this file as a module of its own; the project root holds `config`.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from config.wsgi import application as app  # noqa: E402

__all__ = ["app"]
