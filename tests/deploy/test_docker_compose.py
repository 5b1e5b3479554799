"""No Docker engine runs here, so check docker-compose.yml against what the code reads."""

import re
from pathlib import Path

import pytest
import yaml

from config.env import READ

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((REPO / "docker-compose.yml").read_text())


def test_it_has_the_production_services(compose):
    assert set(compose["services"]) == {"postgres", "server", "indicators", "dashboard", "nginx"}


def test_the_indicator_publisher_runs_a_command_that_exists(compose):
    command = compose["services"]["indicators"]["command"]
    assert command.startswith("python server/manage.py publish_indicators --watch")
    assert (REPO / "server/indicators/management/commands/publish_indicators.py").exists()
    assert "load_targets" in compose["services"]["server"]["command"]


def test_postgres_keeps_its_data_in_a_named_volume_and_has_a_healthcheck(compose):
    postgres = compose["services"]["postgres"]
    assert "pgdata:/var/lib/postgresql/data" in postgres["volumes"]
    assert "pgdata" in compose["volumes"]
    assert "pg_isready" in " ".join(postgres["healthcheck"]["test"])


def test_every_app_variable_is_one_the_settings_read(compose):
    for name in ("server", "indicators", "dashboard"):
        env = compose["services"][name]["environment"]
        unknown = set(env) - READ
        assert not unknown, f"{name} sets variables nobody reads: {unknown}"


def test_the_env_example_lists_only_variables_that_are_used(compose):
    example = (REPO / ".env.example").read_text()
    names = set(re.findall(r"^([A-Z0-9_]+)=", example, flags=re.M))
    text = (REPO / "docker-compose.yml").read_text()
    assert names, "empty .env.example"
    for name in names:
        assert "${" + name in text, f"{name} in .env.example is not used by docker-compose.yml"


def test_the_server_migrates_and_runs_the_wsgi_module_that_exists(compose):
    command = compose["services"]["server"]["command"]
    assert "manage.py migrate" in command
    assert "gunicorn --chdir server config.wsgi:application" in command
    assert "--bind 0.0.0.0:8000" in command
    assert (REPO / "server/config/wsgi.py").exists()
    assert compose["services"]["server"]["depends_on"]["postgres"]["condition"] == (
        "service_healthy"
    )


def test_the_dashboard_runs_the_dash_server_factory(compose):
    command = compose["services"]["dashboard"]["command"]
    assert '"dash_app.app:server()"' in command
    assert "--bind 0.0.0.0:8050" in command
    from dash_app import app

    assert callable(app.server)


def test_nginx_proxies_to_the_ports_the_apps_listen_on(compose):
    nginx = compose["services"]["nginx"]
    assert "80:80" in nginx["ports"]
    conf = (REPO / "deploy/nginx.conf").read_text()
    assert "server server:8000;" in conf
    assert "server dashboard:8050;" in conf
    assert "/dashboard/" in conf
    assert compose["services"]["dashboard"]["environment"]["DASH_URL_BASE_PATHNAME"] == (
        "/dashboard/"
    )
    for volume in ("static:/srv/static:ro", "media:/srv/media:ro"):
        assert volume in nginx["volumes"]
    assert "internal;" in conf, "media must not be served publicly"
    # gunicorn workers must not read slow uploads themselves: nginx buffers request bodies.
    assert "proxy_request_buffering off" not in conf


def test_the_server_runs_sync_workers_as_benchmarked(compose):
    command = compose["services"]["server"]["command"]
    assert "--worker-class sync" in command and "--threads" not in command


def test_the_healthcheck_url_answers(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
