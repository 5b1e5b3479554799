"""PostgreSQL for the benchmarks: throwaway databases on the server DATABASE_URL names, or,
when it names none, on a throwaway cluster started from Debian's /usr/lib/postgresql/*/bin
as .ci/run does (fsync on, default settings), stopped and removed afterwards."""

import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# The postmaster of each throwaway cluster still running, for sampling the cluster's CPU.
POSTMASTER: list[int] = []


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def server() -> Iterator[str]:
    """``postgres://user@host:port`` of DATABASE_URL's server, else of a throwaway cluster."""
    base = os.environ.get("DATABASE_URL", "")
    if base.startswith(("postgres://", "postgresql://")):
        yield base.split("?")[0].rsplit("/", 1)[0]
        return
    bins = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not bins:
        raise SystemExit("no DATABASE_URL and no PostgreSQL under /usr/lib/postgresql")
    pg_bin = bins[-1].parent
    data = Path(tempfile.mkdtemp(prefix="zouqu-bench-pg."))
    port = free_port()
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if as_postgres:
        shutil.chown(data, "postgres", "postgres")

    def run(*cmd: str) -> None:
        subprocess.run([*as_postgres, *cmd], check=True, capture_output=True)

    run(str(pg_bin / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8")
    options = f"-p {port} -k /tmp -c listen_addresses=127.0.0.1 -c max_connections=100"
    run(
        str(pg_bin / "pg_ctl"),
        "-D",
        str(data),
        "-l",
        str(data / "log"),
        "-w",
        "-o",
        options,
        "start",
    )
    postmaster = int((data / "postmaster.pid").read_text().split()[0])
    POSTMASTER.append(postmaster)
    try:
        yield f"postgres://postgres@127.0.0.1:{port}"
    finally:
        POSTMASTER.remove(postmaster)
        run(str(pg_bin / "pg_ctl"), "-D", str(data), "-m", "fast", "stop")
        shutil.rmtree(data, ignore_errors=True)


@contextmanager
def database(server_url: str, prefix: str) -> Iterator[str]:
    """The URL of a new database ``<prefix>_<random>`` on ``server_url``, dropped afterwards."""
    import psycopg

    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{server_url}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{server_url}/{name}"
    finally:
        with psycopg.connect(f"{server_url}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def postgres(prefix: str = "zouqu_bench") -> Iterator[str]:
    """The URL of a fresh database on DATABASE_URL's server or a throwaway cluster."""
    with server() as url, database(url, prefix) as database_url:
        yield database_url
