"""The demo database (registry, accounts, the five forms and five years of submissions sent
through the ingest code), built once per test session and cloned for each user.

``load_demo`` takes a minute or more, so it runs once: on PostgreSQL (CI) into a database
that later ones are created from with ``CREATE DATABASE … TEMPLATE``; on SQLite into a file
kept in the temp folder under a hash of what shapes it (migrations, the demo generators, the
ingest code, the forms), copied for each user. A stale copy cannot make a test pass wrongly:
the tests compare against values computed on the same copy, and a change to any of those
files makes a new one.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parents[1]
# The demo's field work ends here in tests, whatever the day they run: the dashboard tests'
# cut-off (DASH_AS_OF) and the figures the demo-history tests expect.
DEMO_UNTIL = "2025-12-31"
PYTHON = sys.executable
SHAPING_FILES = [
    "server/*/migrations/*.py",
    "server/*/demo*.py",
    "server/*/management/commands/load_demo.py",
    "server/collect/services.py",
    "server/registry/services.py",
    "forms/**/*.xlsx",
    "tests/demo_database.py",
]


def manage_env(database_url: str) -> dict[str, str]:
    """The environment of a ``manage.py`` or dashboard process on ``database_url``."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "PYTHONPATH": os.pathsep.join([str(REPO), str(REPO / "server")]),
    }


def run(args: list[str], env: dict[str, str], *, timeout: int = 300) -> str:
    """Run a process in the repository; its stdout, or RuntimeError with its output."""
    done = subprocess.run(
        args, cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr[-4000:]}")
    return done.stdout


def demo_load(database_url: str) -> str:
    """Migrate and load the demo into ``database_url``; load_demo's output."""
    env = manage_env(database_url)
    manage = str(REPO / "server" / "manage.py")
    run([PYTHON, manage, "migrate", "--verbosity", "0"], env)
    return run([PYTHON, manage, "load_demo", "--until", DEMO_UNTIL], env)


def _is_postgres(url: str) -> bool:
    return url.startswith(("postgres://", "postgresql://"))


def _with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def _admin_execute(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(_with_database(url, "postgres"), autocommit=True) as conn:
        conn.execute(sql)


@dataclass
class DemoDatabase:
    """The built demo; ``clone()`` gives a private copy (URL, drop function)."""

    source: str  # a database URL (PostgreSQL) or a file path (SQLite)
    workdir: Path

    def clone(self) -> tuple[str, Callable[[], None]]:
        if _is_postgres(self.source):
            name = f"zouqu_demo_{uuid.uuid4().hex[:8]}"
            template = urlsplit(self.source).path.lstrip("/")
            _admin_execute(self.source, f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
            url = _with_database(self.source, name)
            return url, lambda: _admin_execute(
                url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
            )
        path = self.workdir / f"demo-{uuid.uuid4().hex[:8]}.sqlite3"
        shutil.copyfile(self.source, path)
        return f"sqlite:///{path}", lambda: path.unlink(missing_ok=True)


def _shaping_digest() -> str:
    digest = hashlib.sha256()
    for pattern in SHAPING_FILES:
        for file in sorted(REPO.glob(pattern)):
            digest.update(str(file.relative_to(REPO)).encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def demo_database_build(workdir: Path) -> tuple[DemoDatabase, Callable[[], None]]:
    """Build (or, on SQLite, reuse) the demo database; the database and its remover."""
    configured = os.environ.get("DATABASE_URL", "")
    if _is_postgres(configured):
        name = f"zouqu_demo_template_{uuid.uuid4().hex[:8]}"
        _admin_execute(configured, f'CREATE DATABASE "{name}"')
        url = _with_database(configured, name)

        def drop() -> None:
            _admin_execute(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

        try:
            demo_load(url)
        except BaseException:
            drop()
            raise
        return DemoDatabase(url, workdir), drop
    cached = Path(tempfile.gettempdir()) / "zouqu-demo-tests" / f"{_shaping_digest()}.sqlite3"
    if not cached.exists():
        building = workdir / "building.sqlite3"
        demo_load(f"sqlite:///{building}")
        cached.parent.mkdir(parents=True, exist_ok=True)
        for old in cached.parent.glob("*.sqlite3"):  # one copy at a time
            old.unlink(missing_ok=True)
        partial = cached.with_suffix(f".{uuid.uuid4().hex[:6]}.partial")
        shutil.copyfile(building, partial)
        partial.replace(cached)
    return DemoDatabase(str(cached), workdir), lambda: None
