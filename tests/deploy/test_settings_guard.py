"""Production settings refuse unsafe configuration; `check --deploy` is clean."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
GOOD_KEY = "Vq3-9xZtL0pA7mKe2RbW8sYd1uNc4hGj6fTi5oQw0zXyEaBv_CnMr"


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "ZOUQU_ENV"}}
    return subprocess.run(
        [sys.executable, "server/manage.py", *args],
        cwd=REPO,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_it_refuses_the_default_secret_key_in_production():
    result = manage("check", ZOUQU_ENV="production", ALLOWED_HOSTS="example.org")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_it_refuses_debug_in_production():
    result = manage(
        "check", ZOUQU_ENV="production", SECRET_KEY=GOOD_KEY, DEBUG="true", ALLOWED_HOSTS="x.org"
    )
    assert result.returncode != 0
    assert "DEBUG" in result.stderr


def test_it_refuses_a_boolean_it_does_not_understand():
    result = manage("check", DEBUG="maybe")
    assert result.returncode != 0
    assert "is not a boolean" in result.stderr


def test_it_refuses_an_unknown_environment_name():
    result = manage("check", ZOUQU_ENV="prod")
    assert result.returncode != 0
    assert "ZOUQU_ENV" in result.stderr


def test_check_deploy_is_clean_for_production_settings():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        ZOUQU_ENV="production",
        SECRET_KEY=GOOD_KEY,
        ALLOWED_HOSTS="survey.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_it_defaults_to_the_embedded_setup(settings):
    if os.environ.get("DATABASE_URL"):
        pytest.skip("running against the configured DATABASE_URL")
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.STORAGES["default"]["BACKEND"].endswith("FileSystemStorage")


def test_it_uses_s3_compatible_storage_when_configured():
    code = (
        "from django.conf import settings; import django; django.setup();"
        "from django.core.files.storage import storages;"
        "s = storages['default']; print(type(s).__name__, s.bucket_name)"
    )
    clean = {k: v for k, v in os.environ.items() if k != "DEBUG"}
    result = subprocess.run(
        [sys.executable, "-c", f"import sys; sys.path.insert(0, 'server'); {code}"],
        cwd=REPO,
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "MEDIA_STORAGE": "s3",
            "S3_BUCKET": "zouqu-media",
            "S3_ENDPOINT_URL": "http://127.0.0.1:9000",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["S3Storage", "zouqu-media"]


FOLLOW_RECEIVERS = (
    "from collect.signals import submission_accepted; print(submission_accepted.has_listeners())"
)


@pytest.mark.parametrize(("value", "connected"), [("request", "True"), ("worker", "False")])
def test_registry_follow_decides_whether_the_request_updates_the_registry(value, connected):
    result = manage("shell", "-c", FOLLOW_RECEIVERS, REGISTRY_FOLLOW=value)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == connected


def test_it_refuses_an_unknown_registry_follow():
    result = manage("check", REGISTRY_FOLLOW="later")
    assert result.returncode != 0
    assert "REGISTRY_FOLLOW" in result.stderr
