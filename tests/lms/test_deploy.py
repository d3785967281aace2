"""The supervised production definitions (deploy/): systemd units and a compose file for web, worker and beat
(plus PostgreSQL and Redis in compose), each restarted when it stops, the containers health-checked, and the
commands the README's production section gives. The restart behaviour itself is exercised by
tests/lms/test_worker_outage.py (a worker under a supervisor while its Redis restarts)."""

from __future__ import annotations

import configparser
from pathlib import Path

import yaml

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
README = (DEPLOY.parent / "README.md").read_text(encoding="utf-8")


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read(DEPLOY / "systemd" / f"hocso-{name}.service")
    return parser


def test_systemd_units_restart_web_worker_and_beat():
    commands = {
        "web": "gunicorn lms.wsgi:application",
        "worker": "celery -A lms worker",
        "beat": "celery -A lms beat",
    }
    for name, command in commands.items():
        service = unit(name)["Service"]
        assert service["Restart"] == "always" and command in service["ExecStart"], name
        assert service["EnvironmentFile"] == "/etc/hocso/hocso.env"
        assert f"deploy/systemd/hocso-{name}.service" in README


def test_compose_runs_the_five_services_restarted_and_health_checked():
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
    services = compose["services"]
    assert set(services) == {"web", "worker", "beat", "postgres", "redis"}
    for name, service in services.items():
        assert service["restart"] == "unless-stopped", name
        assert service["healthcheck"]["test"], name
    assert "gunicorn lms.wsgi:application" in services["web"]["command"]
    assert services["worker"]["command"][:4] == ["celery", "-A", "lms", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "lms", "beat"]
    redis = " ".join(services["redis"]["command"])
    assert "--appendonly yes" in redis and "--maxmemory-policy noeviction" in redis
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert "deploy/compose.yaml" in README


def test_the_environment_example_names_what_production_requires():
    example = (DEPLOY / "hocso.env.example").read_text(encoding="utf-8")
    for name in ("DJANGO_SETTINGS_MODULE=lms.settings.production", "SECRET_KEY=", "ALLOWED_HOSTS=", "DATABASE_URL="):
        assert name in example
