"""Submission throughput of the OpenRosa server against a bare baseline, on PostgreSQL.

    .venv/bin/python benchmarks/bench_submissions.py [--submissions 10000] [--clients 32]
        [--registry-follow off|on] [--form sewage_facility_inspection]

What it does, all on loopback:
1. PostgreSQL: a throwaway database on the server DATABASE_URL names, or (when unset)
   a throwaway cluster started from /usr/lib/postgresql/*/bin like .ci/run does.
2. migrate, load_demo (registry and history from 2021 to today), publish the real form.
3. gunicorn with 2 workers serves the Django project; many concurrent clients POST
   /submission as ODK Collect does (HTTP Digest with a cached nonce and a counting nc,
   multipart with a ~5 KB instance and a 200 KB photo). Every instance is new; they are
   spread over the facilities (or natural villages) of the worker's scope.
   The RSS of each worker is sampled once a second.
   --registry-follow off (default) runs the server as docker-compose deploys it
   (REGISTRY_FOLLOW=worker: publish_indicators --watch brings the registry in line);
   on (REGISTRY_FOLLOW=request, the embedded default) measures the in-request follow-up too.
4. gunicorn with the same 2 workers serves benchmarks/bare_app.py, which writes the same
   rows (submission, review, audit entry, attachment; taken from what the first Django
   round stored for the same template) and the same file with no framework,
   authentication, parsing or checks.
5. The two alternate in --rounds rounds (Django, bare, Django, bare …; both servers stay
   up, the idle one sleeping), so a change in the shared machine's load hits both sides
   alike: the ratio is the median of the rounds' ratios.
6. Prints throughput, p50/p99 latency (all rounds pooled), the ratios, the CPU per request
   of the workers, PostgreSQL and the client, and worker memory; checks that the database
   holds exactly one row per submission sent.
"""

import argparse
import contextlib
import functools
import hashlib
import http.client
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "server")]
from pg import POSTMASTER, free_port, postgres  # noqa: E402  (benchmarks/, the script's folder)

PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))
FORM_ID = "sewage_facility_inspection"
PASSWORD = "zouqu-demo"
USERNAME = "worker"
PHOTO_BYTES = 200 * 1024
INSTANCE_BYTES = 5 * 1024
DEVICE_ID = "collect:bench"


def manage(env: dict, *args: str) -> str:
    done = subprocess.run(
        [PYTHON, "server/manage.py", *args], cwd=REPO, env=env, capture_output=True, text=True
    )
    if done.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return done.stdout


@contextmanager
def gunicorn(env: dict, app: str, chdir: str, args: argparse.Namespace, log: Path):
    port = free_port()
    command = [
        GUNICORN, app, "--chdir", chdir, "--pythonpath", str(REPO / "server"),
        "--bind", f"127.0.0.1:{port}",
        "--workers", str(args.workers), "--worker-class", args.worker_class,
        "--threads", str(args.threads), "--timeout", "120", "--backlog", "2048",
    ]  # fmt: skip
    with open(log, "w") as out:
        server = subprocess.Popen(command, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(log.read_text()[-3000:]) from None
                time.sleep(0.2)
        time.sleep(1.0)  # let both workers boot
        yield port, server.pid
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU the processes have used so far."""
    total = 0
    for pid in pids:
        with contextlib.suppress(FileNotFoundError, ProcessLookupError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
    return total / CLOCK_TICKS


def backend_pids(database_url: str | None) -> list[int]:
    """The PostgreSQL processes serving ``database_url``'s database on this machine (on a
    shared server, only this run's database: the gunicorn workers' connections)."""
    if not database_url:
        return []
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT pid FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchall()
    return [pid for (pid,) in rows if Path(f"/proc/{pid}").exists()]


def cpu_by_pid(pids: list[int]) -> dict[int, float]:
    return {pid: cpu_seconds([pid]) for pid in pids}


def measured(master: int, load, database_url: str | None = None) -> dict:
    """Run ``load()`` and add the CPU the gunicorn workers and PostgreSQL used per request.

    On a machine shared with other work, throughput and latency depend on what else runs;
    the CPU each side spends per submission does not, so the ratio of the two is the
    steadier comparison. PostgreSQL: the throwaway cluster's processes, or on a server
    DATABASE_URL names (on this machine), the backends of this run's database (their
    connections persist, so every backend the workers use is counted from when it starts).
    """
    workers = children(master)

    def database() -> list[int]:
        if POSTMASTER:
            return [*POSTMASTER, *children(POSTMASTER[0])]
        return backend_pids(database_url)

    before_workers, before_db = cpu_seconds(workers), cpu_by_pid(database())
    result = load()
    after_db = cpu_by_pid(database())
    count = max(1, result["submissions"])
    result["server_cpu_ms_per_request"] = round(
        (cpu_seconds(workers) - before_workers) / count * 1000, 2
    )
    if after_db:
        spent = sum(cpu - before_db.get(pid, 0.0) for pid, cpu in after_db.items())
        result["postgres_cpu_ms_per_request"] = round(spent / count * 1000, 2)
    return result


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


class RssSampler(threading.Thread):
    def __init__(self, master: int) -> None:
        super().__init__(daemon=True)
        self.master = master
        self.samples: dict[int, list[int]] = {}
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(1.0):
            for pid in children(self.master):
                with contextlib.suppress(FileNotFoundError):
                    self.samples.setdefault(pid, []).append(rss_kib(pid))


def instance_templates(form_id: str, scope: list[dict]) -> list[tuple[bytes, str, str]]:
    """~5 KB instances of a real form, one per place in the worker's scope (facilities for
    the inspection form, natural villages otherwise), each naming one photo: (xml,
    instanceID to replace, photo name). Spreading the submissions over the registry keeps
    the per-facility history realistic instead of piling 10,000 inspections on one."""
    from forms.samples import sample_instance

    templates = []
    for seed, registry in enumerate(scope):
        sample = sample_instance(form_id, seed=seed, overrides={"remarks": ""}, registry=registry)
        padding = INSTANCE_BYTES - len(sample.xml)
        remarks = "巡查记录：设施运行平稳。" * max(0, padding // 36)
        sample = sample_instance(
            form_id, seed=seed, overrides={"remarks": remarks}, registry=registry
        )
        if sample.attachments:
            templates.append((sample.xml, sample.instance_id, sample.attachments[0]))
    if not templates:
        raise SystemExit(f"no sample of {form_id} with a photo")
    return templates


def submission_body(template: tuple[bytes, str, str], photo: bytes, boundary: str) -> bytes:
    """The multipart body Collect sends for one new instance of ``template`` (a new
    instanceID) with its photo."""
    xml, template_id, photo_name = template
    instance = xml.replace(template_id.encode(), f"uuid:{uuid.uuid4()}".encode())
    return b"".join(
        [
            f'--{boundary}\r\nContent-Disposition: form-data; name="xml_submission_file"; '
            f'filename="submission.xml"\r\nContent-Type: text/xml\r\n\r\n'.encode(),
            instance,
            f'\r\n--{boundary}\r\nContent-Disposition: form-data; name="{photo_name}"; '
            f'filename="{photo_name}"\r\nContent-Type: image/jpeg\r\n\r\n'.encode(),
            photo,
            f"\r\n--{boundary}--\r\n".encode(),
        ]
    )


def server_env(database_url: str, work: Path) -> dict[str, str]:
    """The server's settings in the benchmarks: the throwaway database, media and state
    under ``work``, quiet logs."""
    return {
        "DATABASE_URL": database_url,
        "DATABASE_CONN_MAX_AGE": "600",
        "MEDIA_ROOT": str(work / "media"),
        "ZOUQU_VAR_DIR": str(work),
        "LOG_LEVEL": "WARNING",
        # As deployed: with DEBUG on, Django keeps the last 9,000 SQL statements per
        # connection, which costs time and shows up as memory growth.
        "DEBUG": "false",
    }


def database_prepare(env: dict, form: str, *load_demo: str) -> list[dict]:
    """migrate, load_demo (with ``load_demo`` options), publish ``form``; the places of the
    benchmark user's scope the instances are spread over (SCOPE_QUERY)."""
    manage(env, "migrate", "--noinput")
    manage(env, "load_demo", *load_demo)
    manage(env, "publish_form", str(REPO / "forms" / f"{form}.xlsx"))
    query = SCOPE_QUERY.format(user=USERNAME, form=form)
    return json.loads(manage(env, "shell", "-c", query).strip().splitlines()[-1])


SCOPE_QUERY = """
import json
from accounts.models import User
from accounts.scopes import facilities_for_user, natural_villages_for_user
user = User.objects.get(username="{user}")
if "{form}" == "sewage_facility_inspection":
    rows = []
    for f in facilities_for_user(user=user).filter(in_service=True).order_by("code"):
        v = f.natural_villages.filter(admin_village__workers=user).order_by("code").first()
        rows.append(dict(facility=f.code, facility_process_type=f.process_type,
                         natural_village=v.code, admin_village=v.admin_village.code))
else:
    rows = [dict(natural_village=v.code, admin_village=v.admin_village.code)
            for v in natural_villages_for_user(user=user).order_by("code")]
print(json.dumps(rows))
"""


class Digest:
    """Collect's Digest client: one challenge, then the cached nonce with a counting nc."""

    def __init__(self, challenge: str) -> None:
        import re

        fields = dict(re.findall(r'(\w+)="([^"]*)"', challenge.split(", Basic ")[0]))
        self.realm, self.nonce, self.opaque = fields["realm"], fields["nonce"], fields["opaque"]
        self.nc = 0
        self.ha1 = hashlib.md5(f"{USERNAME}:{self.realm}:{PASSWORD}".encode()).hexdigest()

    def header(self, method: str, uri: str) -> str:
        self.nc += 1
        cnonce = uuid.uuid4().hex[:16]
        ha2 = hashlib.md5(f"{method}:{uri}".encode()).hexdigest()
        response = hashlib.md5(
            f"{self.ha1}:{self.nonce}:{self.nc:08x}:{cnonce}:auth:{ha2}".encode()
        ).hexdigest()
        return (
            f'Digest username="{USERNAME}", realm="{self.realm}", nonce="{self.nonce}", '
            f'uri="{uri}", algorithm=MD5, response="{response}", opaque="{self.opaque}", '
            f'qop=auth, nc={self.nc:08x}, cnonce="{cnonce}"'
        )


def run_load(
    port: int,
    total: int,
    clients: int,
    templates: list[tuple[bytes, str, str]],
    *,
    digest: bool,
    keep_alive: bool = False,
) -> dict:
    """POST `total` new submissions from `clients` threads; latencies in seconds.

    Without ``keep_alive`` every request comes on a new connection, as nginx sends them to
    gunicorn in the deployment (deploy/nginx.conf keeps no upstream connections), so each
    is accepted by whichever worker is free. With it the clients keep their connections, as
    Collect does with a server it talks to directly; a gthread worker keeps every
    connection it accepts, and the first worker awake may take all of them and leave the
    other idle (about half the throughput in 10 of 13 such runs on 2026-11-30)."""
    photo = random.Random(7).randbytes(PHOTO_BYTES)
    boundary = uuid.uuid4().hex
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    counter = iter(range(total))
    uri = f"/submission?deviceID={DEVICE_ID}"

    def body_for(index: int = 0) -> bytes:
        return submission_body(templates[index % len(templates)], photo, boundary)

    def client() -> None:
        auth = None
        if digest:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            conn.request("HEAD", uri)
            auth = Digest(conn.getresponse().headers["WWW-Authenticate"])
            conn.close()
        conn = None
        while True:
            with lock:
                index = next(counter, None)
            if index is None:
                break
            body = body_for(index)
            headers = {
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "X-OpenRosa-Version": "1.0",
            }
            if not keep_alive:
                headers["Connection"] = "close"
            if auth:
                headers["Authorization"] = auth.header("POST", uri)
            started = time.perf_counter()
            for attempt in range(3):
                try:
                    if conn is None:
                        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                    conn.request("POST", uri, body=body, headers=headers)
                    response = conn.getresponse()
                    response.read()
                    break
                except (ConnectionError, http.client.HTTPException):
                    conn = None
                    if attempt == 2:
                        raise
            elapsed = time.perf_counter() - started
            if not keep_alive or response.getheader("Connection", "").lower() == "close":
                conn.close()
                conn = None
            with lock:
                latencies.append(elapsed)
                statuses[response.status] = statuses.get(response.status, 0) + 1

    threads = [threading.Thread(target=client) for _ in range(clients)]
    cpu_started = time.process_time()
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    client_cpu = time.process_time() - cpu_started
    latencies.sort()
    return {
        "submissions": len(latencies),
        "seconds": round(wall, 2),
        "per_second": round(len(latencies) / wall, 1),
        "p50_ms": round(latencies[len(latencies) // 2] * 1000, 1),
        "p99_ms": round(latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000, 1),
        "statuses": statuses,
        "latencies": latencies,
        "body_bytes": len(body_for()),
        # CPU the load generator itself used per request (it shares the machine's cores).
        "client_cpu_ms_per_request": round(client_cpu / max(1, len(latencies)) * 1000, 2),
    }


def split(total: int, rounds: int) -> list[int]:
    """``total`` submissions in ``rounds`` nearly equal parts."""
    return [total // rounds + (1 if i < total % rounds else 0) for i in range(rounds)]


def cpu_total(result: dict) -> float:
    return result["server_cpu_ms_per_request"] + result.get("postgres_cpu_ms_per_request", 0)


def pooled(rounds: list[dict]) -> dict:
    """One side's rounds as one run: submissions over the rounds' summed wall time, the
    percentiles of all latencies together, CPU per request weighted by submissions. Drops
    the raw latencies from the rounds."""
    latencies = sorted(t for r in rounds for t in r.pop("latencies"))
    count = len(latencies)
    seconds = sum(r["seconds"] for r in rounds)
    statuses: dict[int, int] = {}
    for r in rounds:
        for status, n in r["statuses"].items():
            statuses[status] = statuses.get(status, 0) + n
    result = {
        "submissions": count,
        "seconds": round(seconds, 2),
        "per_second": round(count / seconds, 1),
        "p50_ms": round(latencies[count // 2] * 1000, 1),
        "p99_ms": round(latencies[min(count - 1, int(count * 0.99))] * 1000, 1),
        "statuses": statuses,
        "body_bytes": rounds[0]["body_bytes"],
    }
    for key in ("client_cpu_ms_per_request", "server_cpu_ms_per_request"):
        result[key] = round(sum(r[key] * r["submissions"] for r in rounds) / count, 2)
    if all("postgres_cpu_ms_per_request" in r for r in rounds):
        key = "postgres_cpu_ms_per_request"
        result[key] = round(sum(r[key] * r["submissions"] for r in rounds) / count, 2)
    return result


def count_rows(database_url: str, device_id: str) -> tuple[int, int]:
    """Rows and distinct instanceIDs the benchmark's device sent (not the demo history)."""
    import psycopg

    with psycopg.connect(database_url) as conn:
        rows = conn.execute(
            "SELECT count(*), count(DISTINCT instance_id) FROM collect_submission"
            " WHERE device_id = %s",
            (device_id,),
        ).fetchone()
    return rows[0], rows[1]


ROW_COLUMNS = (
    "answers",
    "admin_village_id",
    "natural_village_id",
    "facility_id",
    "water_body_id",
    "client_started_at",
    "client_ended_at",
    "attachments_expected",
    "attachments_complete",
)


def stored_rows(database_url: str, device_id: str) -> dict[str, dict]:
    """For the bare baseline: per photo name (one per template), the submission row the
    Django run stored from that template, its instanceID in the answers turned into a
    placeholder, and the audit entry's fields. The bare endpoint writes these rows with a
    new instanceID, so both sides write the same data without the bare one parsing it."""
    import psycopg

    columns = ", ".join(f"s.{c}::text" for c in ROW_COLUMNS)
    with psycopg.connect(database_url) as conn:
        found = conn.execute(
            f"SELECT DISTINCT ON (a.name) a.name, s.instance_id, {columns},"
            " e.username, host(e.ip), e.action, e.object_type, e.changes::text"
            " FROM collect_submission s"
            " JOIN collect_attachment a ON a.submission_id = s.id"
            " JOIN audit_auditentry e ON e.object_type = 'collect.submission'"
            " AND e.object_id = s.id::text"
            " WHERE s.device_id = %s ORDER BY a.name, s.id",
            (device_id,),
        ).fetchall()
    rows = {}
    for name, instance_id, *values in found:
        row = dict(zip(ROW_COLUMNS, values[: len(ROW_COLUMNS)], strict=True))
        username, ip, action, object_type, changes = values[len(ROW_COLUMNS) :]
        row["answers"] = row["answers"].replace(instance_id, "{instance_id}")
        row["audit"] = {
            "username": username,
            "ip": ip,
            "action": action,
            "object_type": object_type,
            "changes": changes.replace(instance_id, "{instance_id}"),
        }
        rows[name] = row
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--submissions", type=int, default=10_000)
    parser.add_argument("--bare-submissions", type=int, default=5_000)
    parser.add_argument(
        "--rounds",
        type=int,
        default=5,
        help="Django and bare runs alternate in this many rounds (after a first Django round)",
    )
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--worker-class", default="sync", help="as docker-compose.yml deploys it (sync)"
    )
    parser.add_argument(
        "--threads", type=int, default=1, help="more than 1 makes gunicorn use gthread"
    )
    parser.add_argument(
        "--form",
        default=FORM_ID,
        help="questionnaire to post (the inspection form, which the registry follows, "
        "or agri_film_recovery, which it does not)",
    )
    parser.add_argument(
        "--registry-follow",
        choices=["on", "off"],
        default="off",
        help="on: REGISTRY_FOLLOW=request, the registry recomputes the facility of every "
        "submission in the request (embedded default); off: REGISTRY_FOLLOW=worker, left to "
        "publish_indicators --watch (docker-compose)",
    )
    parser.add_argument(
        "--db-prefix",
        default="zouqu_bench",
        help="name prefix of the throwaway database on DATABASE_URL's server",
    )
    parser.add_argument(
        "--keep-alive",
        action="store_true",
        help="clients keep their connections open (Collect talking to gunicorn directly) "
        "instead of one connection per request (nginx in front, as deployed)",
    )
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="zouqu-bench."))
    try:
        with postgres(args.db_prefix) as database_url:
            env = {**os.environ, **server_env(database_url, work)}
            templates = instance_templates(args.form, database_prepare(env, args.form))
            ids = manage(
                env,
                "shell",
                "-c",
                "from collect.models import Form; from accounts.models import User; "
                f"f = Form.objects.get(form_id='{args.form}'); "
                f"print(f.pk, f.current_version_id, User.objects.get(username='{USERNAME}').pk)",
            ).split()[-3:]

            follow = "request" if args.registry_follow == "on" else "worker"
            django_env = {**env, "REGISTRY_FOLLOW": follow}
            app, chdir = "config.wsgi:application", "server"
            if args.submissions // args.rounds < len(templates):
                raise SystemExit(
                    f"each Django round must send every template once: at least "
                    f"{len(templates) * args.rounds} submissions for {args.rounds} rounds"
                )
            django_sizes = split(args.submissions, args.rounds)
            bare_sizes = split(args.bare_submissions, args.rounds)
            django_rounds: list[dict] = []
            bare_rounds: list[dict] = []
            with gunicorn(django_env, app, chdir, args, work / "django.log") as (port, master):
                sampler = RssSampler(master)
                sampler.start()

                def django_round(size: int) -> None:
                    load = functools.partial(
                        run_load, port, size, args.clients, templates, digest=True,
                        keep_alive=args.keep_alive,
                    )  # fmt: skip
                    django_rounds.append(measured(master, load, database_url))

                # The first Django round stores the rows the bare endpoint then writes.
                django_round(django_sizes[0])
                rows_file = work / "bare_rows.json"
                rows_file.write_text(json.dumps(stored_rows(database_url, DEVICE_ID)))
                bare_env = {
                    **env,
                    "BARE_ROWS": str(rows_file),
                    "BARE_FORM_ID": args.form,
                    "BARE_FORM_PK": ids[0],
                    "BARE_VERSION_PK": ids[1],
                    "BARE_USER_PK": ids[2],
                }
                with gunicorn(
                    bare_env, "bare_app:application", "benchmarks", args, work / "bare.log"
                ) as (bare_port, bare_master):
                    for index, size in enumerate(bare_sizes):
                        if index:
                            django_round(django_sizes[index])
                        load = functools.partial(
                            run_load, bare_port, size, args.clients, templates, digest=False,
                            keep_alive=args.keep_alive,
                        )  # fmt: skip
                        bare_rounds.append(measured(bare_master, load, database_url))
                sampler.stopped.set()
                sampler.join()
            stored, distinct = count_rows(database_url, DEVICE_ID)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    memory = {
        str(pid): {
            "first_mib": round(s[0] / 1024, 1),
            "last_mib": round(s[-1] / 1024, 1),
            "max_mib": round(max(s) / 1024, 1),
            # RSS at each tenth of the run: flat after warm-up means no leak per request.
            "tenths_mib": [
                round(s[min(len(s) - 1, len(s) * i // 10)] / 1024, 1) for i in range(11)
            ],
        }
        for pid, s in sampler.samples.items()
        if s
    }
    django, bare = pooled(django_rounds), pooled(bare_rounds)
    ratios = [
        d["per_second"] / b["per_second"] for d, b in zip(django_rounds, bare_rounds, strict=True)
    ]
    cpu_ratios = [
        cpu_total(b) / cpu_total(d) for d, b in zip(django_rounds, bare_rounds, strict=True)
    ]
    result = {
        "config": vars(args) | {"json": None},
        "django": django,
        "bare": bare,
        # Each Django round against the bare round that follows it, side by side on the
        # same machine; the median is the figure (the machine's load moves both together).
        "ratio": round(statistics.median(ratios), 2),
        "ratio_rounds": [round(r, 2) for r in ratios],
        "ratio_pooled": round(django["per_second"] / bare["per_second"], 2),
        # Server CPU (workers + PostgreSQL) per submission, bare / Django: the throughput
        # ratio the two would reach on cores of their own.
        "cpu_ratio": round(statistics.median(cpu_ratios), 2),
        "cpu_ratio_rounds": [round(r, 2) for r in cpu_ratios],
        "rounds": {
            "django": [{k: v for k, v in r.items() if k != "statuses"} for r in django_rounds],
            "bare": [{k: v for k, v in r.items() if k != "statuses"} for r in bare_rounds],
        },
        "rows_stored": stored,
        "rows_distinct": distinct,
        "worker_rss": memory,
    }
    print(json.dumps(result, indent=2, ensure_ascii=False, default=str))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2, ensure_ascii=False, default=str))
    ok = stored == distinct == django["statuses"].get(201, 0) == args.submissions
    targets = django["per_second"] >= 150 and django["p99_ms"] < 300 and result["ratio"] >= 0.5
    print(f"rows match submissions: {ok}; targets met: {targets}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
