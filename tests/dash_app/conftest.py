"""The running dashboard for the browser tests: its own database with the demo data, the
dashboard process on a free port, and headless Debian Chromium driven by Playwright.

The database is a private clone of the session's demo database (tests/demo_database.py):
a temporary SQLite file, or, when DATABASE_URL points at PostgreSQL (CI), a database created
from the demo template on that server and dropped afterwards. The dashboard runs under
the production base path /dashboard/ with a fixed data cut-off (DASH_AS_OF).
"""

import json
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.demo_database import DEMO_UNTIL, manage_env, run

REPO = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = REPO / "test-artifacts" / "dashboard"
BASE_PATH = "/dashboard/"
AS_OF = DEMO_UNTIL  # the demo database's field work ends on the cut-off
PASSWORD = "zouqu-demo"
SIZES = {"desktop": (1366, 900), "phone": (390, 844)}


@dataclass(frozen=True)
class Dashboard:
    url: str  # ends with BASE_PATH
    env: dict[str, str]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _run(args: list[str], env: dict[str, str]) -> str:
    return run(args, env, timeout=180)


@pytest.fixture(scope="session")
def dashboard(tmp_path_factory, demo_database) -> Iterator[Dashboard]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed (apt-get install -y chromium)")
    database_url, drop = demo_database.clone()
    port = _free_port()
    env = {
        **manage_env(database_url),
        "DASH_HOST": "127.0.0.1",
        "DASH_PORT": str(port),
        "DASH_URL_BASE_PATHNAME": BASE_PATH,
        "DASH_AS_OF": AS_OF,
    }
    log = (tmp_path_factory.mktemp("dashlog") / "dashboard.log").open("w")
    process = subprocess.Popen(
        [PYTHON, "-m", "dash_app"], cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}{BASE_PATH}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}auth/login", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the dashboard did not start; see {log.name}")
            time.sleep(0.2)
        yield Dashboard(url=url, env=env)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
        drop()


EXPECTED_SCRIPT = """
import json, sys
from etl import extract
extract.django_setup()
from rest_framework.test import APIClient
from accounts.models import User
from registry.models import AdministrativeVillage
client = APIClient()
client.force_authenticate(User.objects.get(username=sys.argv[2]))
out = {}
for period in sys.argv[1].split(","):
    for level in ("town", "admin_village"):
        url = f"/api/v1/indicators/?period={period}&level={level}"
        while url:
            response = client.get(url, HTTP_HOST="localhost")
            assert response.status_code == 200, response.content
            body = response.json()
            rows = body["results"] if isinstance(body, dict) else body
            for row in rows:
                out.setdefault(period, {}).setdefault(row["area_code"], {})[row["code"]] = {
                    "value": row["value"], "target": row["target"], "met": row["met"],
                }
            url = body.get("next") if isinstance(body, dict) else None
out["names"] = dict(AdministrativeVillage.objects.values_list("code", "name"))
print(json.dumps(out))
"""


@pytest.fixture(scope="session")
def expected(dashboard) -> dict:
    """What the indicator API (``GET /api/v1/indicators/``) answers the town official on the
    dashboard's database: {period: {area code: {indicator code: {value, target, met}}}}, for
    the town and its administrative villages, plus "names": {code: name} of the villages."""
    periods = ",".join(["2025", "2025-Q4", "2024"])
    return json.loads(_run([PYTHON, "-c", EXPECTED_SCRIPT, periods, "official"], dashboard.env))


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class ConsoleErrors(list):
    def attach(self, page) -> None:
        page.on("console", lambda m: self.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.append(str(e)))


def login(page, dashboard: Dashboard, username: str = "official") -> None:
    page.goto(dashboard.url)
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector(".page-head", timeout=30_000)


@pytest.fixture(scope="session")
def logged_in_context(browser, dashboard):
    """A desktop browser context with the official logged in (session cookie kept)."""
    context = browser.new_context(
        viewport=dict(zip(("width", "height"), SIZES["desktop"], strict=True))
    )
    context.set_default_timeout(20_000)
    page = context.new_page()
    login(page, dashboard)
    page.close()
    yield context
    context.close()


@pytest.fixture
def page(logged_in_context):
    """A fresh page of the logged-in context; the test fails on any console error."""
    tab = logged_in_context.new_page()
    errors = ConsoleErrors()
    errors.attach(tab)
    yield tab
    tab.close()
    assert errors == [], f"console errors: {errors}"


@pytest.fixture(scope="session")
def artifacts() -> Path:
    if ARTIFACTS.exists():
        shutil.rmtree(ARTIFACTS)
    ARTIFACTS.mkdir(parents=True)
    return ARTIFACTS
