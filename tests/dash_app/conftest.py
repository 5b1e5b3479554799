"""The running dashboard for the browser tests: its own database with the demo data, the
dashboard process on a free port, and headless Debian Chromium driven by Playwright.

The database is a temporary SQLite file, or, when DATABASE_URL points at PostgreSQL (CI),
a separate database created on that server and dropped afterwards. The dashboard runs under
the production base path /dashboard/ with a fixed data cut-off (DASH_AS_OF).
"""

import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest

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
AS_OF = "2025-12-31"
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


def _postgres_database(url: str) -> tuple[str, object]:
    """Create a database beside the one in ``url``; return its URL and a dropper."""
    import psycopg

    parts = urlsplit(url)
    name = f"zouqu_dash_{uuid.uuid4().hex[:8]}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return urlunsplit(parts._replace(path=f"/{name}")), drop


def _run(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(
        args, cwd=REPO, env=env, capture_output=True, text=True, timeout=180, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def _demo_load(env: dict[str, str]) -> None:
    manage = str(REPO / "server" / "manage.py")
    _run([PYTHON, manage, "migrate", "--verbosity", "0"], env)
    _run([PYTHON, manage, "load_demo"], env)


def _demo_sqlite(path: Path, env: dict[str, str]) -> None:
    """The demo database as a SQLite file. ``load_demo`` sends five years of submissions
    through the ingest code (a minute or more), so the result is kept in the temp folder under
    a hash of what shapes it (migrations, the demo generators and the ingest code, the forms)
    and copied on later runs. The tests compare the dashboard with the ETL on the same copy,
    so a stale copy cannot make them pass wrongly; a new migration makes a new copy."""
    patterns = [
        "server/*/migrations/*.py",
        "server/*/demo*.py",
        "server/*/management/commands/load_demo.py",
        "server/collect/services.py",
        "forms/**/*.xlsx",
    ]
    digest = hashlib.sha256()
    for pattern in patterns:
        for file in sorted(REPO.glob(pattern)):
            digest.update(str(file.relative_to(REPO)).encode())
            digest.update(file.read_bytes())
    cached = (
        Path(tempfile.gettempdir()) / "zouqu-dashboard-tests" / f"{digest.hexdigest()[:16]}.sqlite3"
    )
    if not cached.exists():
        _demo_load(env)
        cached.parent.mkdir(parents=True, exist_ok=True)
        for old in cached.parent.glob("*.sqlite3"):  # one copy at a time
            old.unlink(missing_ok=True)
        partial = cached.with_suffix(".partial")
        shutil.copyfile(path, partial)
        partial.replace(cached)
    else:
        shutil.copyfile(cached, path)


@pytest.fixture(scope="session")
def dashboard(tmp_path_factory) -> Iterator[Dashboard]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed (apt-get install -y chromium)")
    existing = os.environ.get("DATABASE_URL", "")
    drop = None
    if existing.startswith(("postgres://", "postgresql://")):
        database_url, drop = _postgres_database(existing)
    else:
        path = tmp_path_factory.mktemp("dashdb") / "dashboard.sqlite3"
        database_url = f"sqlite:///{path}"
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DASH_HOST": "127.0.0.1",
        "DASH_PORT": str(port),
        "DASH_URL_BASE_PATHNAME": BASE_PATH,
        "DASH_AS_OF": AS_OF,
        "PYTHONPATH": os.pathsep.join([str(REPO), str(REPO / "server")]),
    }
    if drop is None:
        _demo_sqlite(path, env)
    else:
        _demo_load(env)
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
        if drop is not None:
            drop()


EXPECTED_SCRIPT = """
import datetime as dt, json, sys
from etl import extract, indicators, tidy
from dash_app.data import targets_read  # the input: the server's targets table or the seed
extract.django_setup()
registry = extract.registry_read()
tables = tidy.tidy_submissions(extract.submissions_read(), extract.data_dictionary_read())
periods = sys.argv[1].split(",")
outputs = indicators.all_indicators(
    natural_villages=registry.natural_villages, facilities=registry.facilities,
    water_bodies=registry.water_bodies, tables=tables, periods=periods,
    targets=targets_read(), as_of=dt.date.fromisoformat(sys.argv[2]),
)
out = {}
for code, output in outputs.items():
    rows = output.results
    for row in rows.loc[rows["level"].isin(["town", "admin_village"])].itertuples():
        value = None if row.value != row.value else float(row.value)
        out.setdefault(row.period, {}).setdefault(row.area_code, {})[code] = {
            "value": value, "target": row.target, "met": row.met,
        }
out["names"] = dict(zip(registry.admin_villages["code"], registry.admin_villages["name"]))
print(json.dumps(out))
"""


@pytest.fixture(scope="session")
def expected(dashboard) -> dict:
    """Indicator values computed by the ETL's own functions on the dashboard's database:
    {period: {area code: {indicator code: {value, target, met}}}}, plus "names": {code: name}
    of the town and its administrative villages."""
    periods = ",".join(["2025", "2025-Q4", "2024"])
    return json.loads(_run([PYTHON, "-c", EXPECTED_SCRIPT, periods, AS_OF], dashboard.env))


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
