"""Cheap guards on the deployment files: Dockerfile, compose.yaml, gunicorn.conf.py, vercel.json.

No Docker engine runs here, so these read the files and hold them to what docs/deployment.md
promises; bin/docker-smoke runs the same build and start steps for real.
"""

import json
import os
import re
import runpy
from pathlib import Path
from wsgiref.util import setup_testing_defaults

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent


def dockerfile_stages() -> list[list[tuple[str, str]]]:
    """The Dockerfile as stages of (INSTRUCTION, arguments), continuation lines joined."""
    text = (ROOT / "Dockerfile").read_text()
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    joined = re.sub(r"\\\n\s*", " ", "\n".join(lines))
    stages: list[list[tuple[str, str]]] = []
    for line in joined.splitlines():
        if not line.strip():
            continue
        instruction, _, arguments = line.strip().partition(" ")
        if instruction.upper() == "FROM":
            stages.append([])
        stages[-1].append((instruction.upper(), arguments.strip()))
    return stages


def arguments(stage, instruction) -> list[str]:
    return [args for name, args in stage if name == instruction]


@pytest.fixture(scope="module")
def stages():
    return dockerfile_stages()


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def test_the_image_is_built_in_a_node_stage_and_a_python_stage(stages):
    node, app = stages

    assert arguments(node, "FROM") == ["node:20-slim AS assets"]
    assert re.fullmatch(r"python:3\.1[12]-slim AS app", arguments(app, "FROM")[0])
    assert any("npm install" in run for run in arguments(node, "RUN"))
    assert any("run build" in run for run in arguments(node, "RUN"))
    copied = arguments(app, "COPY")
    assert "--from=assets /app/theme/static/css/dist theme/static/css/dist" in copied
    assert "--from=assets /app/theme/static/vendor theme/static/vendor" in copied


def test_the_python_stage_installs_only_the_pinned_runtime_requirements(stages):
    runs = " ".join(arguments(stages[-1], "RUN"))

    assert "pip install --no-cache-dir -r requirements.txt" in runs
    assert "requirements-dev" not in runs
    requirements = [
        line.split("#")[0].strip()
        for line in (ROOT / "requirements.txt").read_text().splitlines()
        if line.split("#")[0].strip()
    ]
    assert requirements
    assert [line for line in requirements if "==" not in line] == []


def test_collectstatic_runs_at_build_time_with_debug_off_and_a_throwaway_key(stages):
    (collect,) = [run for run in arguments(stages[-1], "RUN") if "collectstatic" in run]

    assert "DEBUG=false" in collect
    assert "SECRET_KEY=" in collect
    # The key lives in that one RUN line, never in the image's environment.
    assert not any("SECRET_KEY" in env for env in arguments(stages[-1], "ENV"))


def test_the_app_runs_as_an_unprivileged_user(stages):
    app = stages[-1]
    users = arguments(app, "USER")

    assert users and users[-1] not in ("root", "0", "0:0")
    last_user = max(i for i, (name, _) in enumerate(app) if name == "USER")
    last_run = max(i for i, (name, _) in enumerate(app) if name == "RUN")
    assert last_run < last_user, "everything after USER runs unprivileged"


def test_the_health_check_calls_healthz(stages):
    (healthcheck,) = arguments(stages[-1], "HEALTHCHECK")

    assert "bin/healthcheck" in healthcheck
    assert "/healthz/" in (ROOT / "bin" / "healthcheck").read_text()


def test_the_default_command_is_gunicorn_with_the_repository_config(stages):
    assert arguments(stages[-1], "CMD") == ['["gunicorn", "config.wsgi"]']
    assert (ROOT / "gunicorn.conf.py").is_file()


def gunicorn_settings(monkeypatch, **environ) -> dict:
    for name in ("PORT", "GUNICORN_BIND", "WEB_CONCURRENCY", "GUNICORN_THREADS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(ROOT / "gunicorn.conf.py"))


def test_gunicorn_uses_gthread_workers_sized_from_the_environment(monkeypatch):
    config = gunicorn_settings(
        monkeypatch, WEB_CONCURRENCY="3", GUNICORN_THREADS="8", GUNICORN_TIMEOUT="90", PORT="9000"
    )

    assert config["worker_class"] == "gthread"
    assert (config["workers"], config["threads"], config["timeout"]) == (3, 8, 90)
    assert config["bind"] == "0.0.0.0:9000"
    assert config["accesslog"] == "-"


def test_gunicorn_defaults_without_any_environment(monkeypatch):
    config = gunicorn_settings(monkeypatch)

    assert (config["workers"], config["threads"], config["bind"]) == (2, 4, "0.0.0.0:8000")


def test_gunicorn_refuses_a_malformed_number(monkeypatch):
    with pytest.raises(SystemExit, match="WEB_CONCURRENCY must be a whole number"):
        gunicorn_settings(monkeypatch, WEB_CONCURRENCY="two")


def test_compose_runs_web_worker_migrations_and_postgresql_from_one_image(compose):
    services = compose["services"]

    assert set(services) == {"db", "migrate", "web", "worker"}
    assert services["web"]["command"] == ["gunicorn", "config.wsgi"]
    assert services["worker"]["command"][:3] == ["python", "manage.py", "db_worker"]
    assert "--no-reload" in services["worker"]["command"]
    assert services["migrate"]["command"] == ["python", "manage.py", "migrate", "--noinput"]
    for name in ("migrate", "web", "worker"):
        assert services[name]["build"] == "."
        assert services[name]["env_file"] == ".env.production"


def test_compose_starts_the_app_only_after_postgresql_is_healthy_and_migrated(compose):
    services = compose["services"]

    assert "pg_isready" in " ".join(services["db"]["healthcheck"]["test"])
    assert any(volume.startswith("pgdata:") for volume in services["db"]["volumes"])
    for name in ("web", "worker"):
        assert services[name]["depends_on"] == {
            "db": {"condition": "service_healthy"},
            "migrate": {"condition": "service_completed_successfully"},
        }
    assert services["migrate"]["depends_on"] == {"db": {"condition": "service_healthy"}}


def test_web_and_worker_share_the_uploaded_files(compose):
    services = compose["services"]

    media = ["media:/var/lib/cms/media"]
    assert services["web"]["volumes"] == services["worker"]["volumes"] == media
    assert services["web"]["environment"]["MEDIA_ROOT"] == "/var/lib/cms/media"


def test_the_production_env_example_holds_no_secret_and_real_ones_stay_out_of_git_and_images():
    example = dict(
        line.split("=", 1)
        for line in (ROOT / ".env.production.example").read_text().splitlines()
        if line and not line.startswith("#")
    )

    assert example["SECRET_KEY"] == "" and example["POSTGRES_PASSWORD"] == ""
    assert example["DEBUG"] == "false"
    dockerignore = (ROOT / ".dockerignore").read_text().splitlines()
    assert {".env", ".env.*", ".git", ".venv"} <= set(dockerignore)
    assert ".env.production" in (ROOT / ".gitignore").read_text().splitlines()


def test_the_smoke_script_is_executable():
    for script in ("docker-smoke", "healthcheck"):
        assert os.access(ROOT / "bin" / script, os.X_OK)


@pytest.fixture(scope="module")
def vercel():
    return json.loads((ROOT / "vercel.json").read_text())


def test_vercel_builds_the_assets_and_collects_them_for_whitenoise(vercel):
    assert "requirements.txt" in vercel["installCommand"]
    assert "npm --prefix theme/static_src install" in vercel["installCommand"]
    build = vercel["buildCommand"]
    assert "npm --prefix theme/static_src run build" in build
    assert "DEBUG=false" in build and "collectstatic --noinput" in build


def test_vercel_sends_every_path_to_the_wsgi_function(vercel):
    assert list(vercel["functions"]) == ["api/index.py"]
    assert vercel["rewrites"] == [{"source": "/(.*)", "destination": "/api/index"}]
    # Imports run inside the upload request there: give them a minute.
    assert vercel["functions"]["api/index.py"]["maxDuration"] >= 60


def test_the_vercel_entry_point_serves_requests_as_wsgi_app(transactional_db):
    # Transactional: a real WSGI request closes old connections when it starts, which would
    # end a test transaction.
    from api.index import app

    environ = {"PATH_INFO": "/healthz/", "HTTP_HOST": "testserver"}
    setup_testing_defaults(environ)
    started = {}

    def start_response(status, headers):
        started.update(status=status, headers=dict(headers))

    body = b"".join(app(environ, start_response))

    assert started["status"] == "200 OK"
    assert json.loads(body)["database"] == "ok"


def test_every_variable_the_settings_and_gunicorn_read_is_in_the_deployment_guide():
    read = set()
    for source in ("config/settings.py", "gunicorn.conf.py"):
        text = (ROOT / source).read_text()
        read |= set(re.findall(r'(?:environ\.get|env_bool|env_int|env_list)\(\s*"(\w+)"', text))
        read |= set(re.findall(r"env_int\('(\w+)'", text))
    guide = (ROOT / "docs" / "deployment.md").read_text()

    assert {"DATABASE_URL", "WEB_CONCURRENCY", "PORT", "AWS_STORAGE_BUCKET_NAME"} <= read
    assert {name for name in read if f"`{name}`" not in guide} == set()
