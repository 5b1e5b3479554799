"""A real server for the HTTP tests: gunicorn in a subprocess on a free loopback port,
with its own database (a temporary SQLite file, or a throwaway database on the
PostgreSQL server DATABASE_URL names) and its own media folder."""

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import dj_database_url
import httpx

REPO = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))


@dataclass(frozen=True)
class LiveServer:
    url: str
    token: str
    media_root: Path
    database_url: str

    def api(self) -> httpx.Client:
        return httpx.Client(
            base_url=self.url, headers={"Authorization": f"Token {self.token}"}, timeout=30
        )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def _database(tmp: Path) -> Iterator[str]:
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith(("postgres://", "postgresql://")):
        yield f"sqlite:///{tmp / 'live.sqlite3'}"
        return
    import psycopg

    config = dj_database_url.parse(base)
    name = f"zouqu_live_{uuid.uuid4().hex[:8]}"
    admin = dict(
        host=config["HOST"] or "127.0.0.1",
        port=config["PORT"] or 5432,
        user=config["USER"],
        password=config["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )
    with psycopg.connect(**admin) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _with_name(base, name)
    finally:
        with psycopg.connect(**admin) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _with_name(url: str, name: str) -> str:
    head, _, query = url.partition("?")
    head = head.rsplit("/", 1)[0] + "/" + name
    return f"{head}?{query}" if query else head


def _manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [PYTHON, "server/manage.py", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if done.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    return done.stdout


@contextmanager
def live_server(tmp: Path, *, workers: int = 2, extra_env: dict | None = None):
    """Migrate, load the demo registry and accounts (not the five years of submissions: the
    tests publish what they need), start gunicorn; stop it afterwards."""
    with _database(tmp) as database_url:
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "MEDIA_ROOT": str(tmp / "media"),
            "ZOUQU_VAR_DIR": str(tmp),
            "PYTHONUNBUFFERED": "1",
            **(extra_env or {}),
        }
        _manage(env, "migrate", "--noinput")
        _manage(env, "load_demo", "--no-history")
        token = _manage(env, "drf_create_token", "district").split()[2]
        port = _free_port()
        log = open(tmp / "gunicorn.log", "w")  # noqa: SIM115 -- open for the server's lifetime
        server = subprocess.Popen(
            [
                GUNICORN,
                "config.wsgi:application",
                "--chdir",
                "server",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                # Threads, unlike the deployed sync workers: more requests at once, a
                # stricter test of the uniqueness guarantees under concurrency.
                "--worker-class",
                "gthread",
                "--threads",
                "4",
                "--timeout",
                "60",
            ],
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    if httpx.head(f"{url}/submission", timeout=2).status_code == 401:
                        break
                except httpx.TransportError:
                    pass
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError((tmp / "gunicorn.log").read_text()[-3000:])
                time.sleep(0.2)
            yield LiveServer(url, token, tmp / "media", database_url)
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
            log.close()
