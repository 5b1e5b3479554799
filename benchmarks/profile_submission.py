"""Where one POST /submission spends its CPU, measured in one process (not part of make bench).

    .venv/bin/python benchmarks/profile_submission.py [--submissions 1000] [--cprofile]

bench_submissions measures the whole server under load; on a shared machine its CPU figures
move by a third between runs. This calls ``config.wsgi.application`` directly, one request
after another, with the benchmark's instances (5 KB inspection, 200 KB photo, HTTP Digest
as Collect sends it), so it is steadier, and it reports per submission:

- the CPU of this process and of its PostgreSQL backend (from /proc);
- the SQL statements run (their text with ``-v``) and the CPU each takes here;
- the CPU of each step of the request (inclusive times; the steps nest);
- with ``--cprofile``, the 40 most expensive functions by cumulative time (``--sort``).

The database is a throwaway one as in bench_submissions (DATABASE_URL's server, else a
throwaway cluster): migrate, load_demo up to 2025-12-31, publish the inspection form.
"""

import argparse
import collections
import functools
import io
import os
import random
import sys
import tempfile
import time
import uuid
from pathlib import Path

from bench_submissions import (  # benchmarks/, the script's folder
    DEVICE_ID,
    FORM_ID,
    PHOTO_BYTES,
    Digest,
    database_prepare,
    instance_templates,
    server_env,
    submission_body,
)
from pg import postgres

URI = f"/submission?deviceID={DEVICE_ID}"


def _steps() -> dict[str, tuple[object, str]]:
    """The functions timed: label -> (owner, attribute)."""
    import django.core.files.storage.filesystem as filesystem
    import rest_framework.parsers as parsers
    from django.core.handlers.wsgi import WSGIHandler

    from collect import authentication, openrosa, services, views

    return {
        "request (WSGI handler)": (WSGIHandler, "__call__"),
        "view post": (views.SubmissionView, "post"),
        "Digest authentication": (authentication.DigestAuthentication, "authenticate"),
        "  login + lock-out statement": (authentication, "login_user_and_lock"),
        "multipart parsing": (parsers.MultiPartParser, "parse"),
        "submission_receive": (services, "submission_receive"),
        "  XML parse": (openrosa, "instance_parse"),
        "  form/version lookup": (services, "_form_version_for"),
        "  scope checks": (services, "_subjects_in_scope"),
        "  attachment store": (services, "_attachment_store"),
        "    storage save": (filesystem.FileSystemStorage, "_save"),
    }


def _timed(spent: collections.Counter, label: str, function):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        started = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            spent[label] += time.process_time() - started

    return wrapper


def _backend_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--submissions", type=int, default=1_000)
    parser.add_argument("--warm-up", type=int, default=50)
    parser.add_argument("--cprofile", action="store_true")
    parser.add_argument(
        "--sort", default="cumulative", help="cProfile order: cumulative, tottime, ncalls …"
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="print the statements")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="zouqu-profile."))
    with postgres("zouqu_profile") as database_url:
        env = {**server_env(database_url, work), "REGISTRY_FOLLOW": "worker"}
        scope = database_prepare({**os.environ, **env}, FORM_ID, "--until", "2025-12-31")
        os.environ.update(env, DJANGO_SETTINGS_MODULE="config.settings")
        import django

        django.setup()
        report = _measure(args, instance_templates(FORM_ID, scope))
        from django.db import connections

        connections.close_all()
    print(report)
    return 0


def _measure(args: argparse.Namespace, templates: list) -> str:
    from django.db import connection

    from config.wsgi import application

    photo = random.Random(7).randbytes(PHOTO_BYTES)
    boundary = uuid.uuid4().hex

    def call(method: str, body: bytes = b"", auth: str | None = None):
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": "/submission",
            "QUERY_STRING": URI.split("?", 1)[1],
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "127.0.0.1:8000",
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr,
            "CONTENT_LENGTH": str(len(body)),
            "CONTENT_TYPE": f"multipart/form-data; boundary={boundary}",
            "HTTP_X_OPENROSA_VERSION": "1.0",
        }
        if auth:
            environ["HTTP_AUTHORIZATION"] = auth
        answer: dict = {}

        def start_response(status, headers, exc_info=None):
            answer.update(status=status, headers=dict(headers))

        result = application(environ, start_response)
        content = b"".join(result)
        getattr(result, "close", lambda: None)()
        return answer["status"], answer["headers"], content

    _, headers, _ = call("HEAD")
    digest = Digest(headers["WWW-Authenticate"])
    count = iter(range(10**9))

    def submit() -> None:
        body = submission_body(templates[next(count) % len(templates)], photo, boundary)
        status, _, content = call("POST", body, digest.header("POST", URI))
        if not status.startswith("201"):
            raise SystemExit(f"{status}: {content.decode()[:500]}")

    for _ in range(args.warm_up):
        submit()
    backend = connection.connection.info.backend_pid
    n = args.submissions
    lines = []

    cpu, pg = time.process_time(), _backend_cpu(backend)
    for _ in range(n):
        submit()
    cpu, pg = time.process_time() - cpu, _backend_cpu(backend) - pg
    lines.append(
        f"{n} submissions: this process {cpu / n * 1000:.2f} ms of CPU per submission, "
        f"its PostgreSQL backend {pg / n * 1000:.2f} ms"
    )

    spent: collections.Counter = collections.Counter()
    statements: collections.Counter = collections.Counter()
    originals = []
    for label, (owner, attribute) in _steps().items():
        function = getattr(owner, attribute)
        originals.append((owner, attribute, function))
        setattr(owner, attribute, _timed(spent, label, function))

    def statement_timed(execute, sql, params, many, context):
        started = time.process_time()
        try:
            return execute(sql, params, many, context)
        finally:
            statements[" ".join(sql.split())[:90]] += time.process_time() - started

    with connection.execute_wrapper(statement_timed):
        for _ in range(n):
            submit()
    for owner, attribute, function in originals:
        setattr(owner, attribute, function)
    lines.append("\nCPU per submission by step (inclusive; with the timing wrappers on):")
    lines += [f"  {label:34s} {spent[label] / n * 1000:6.3f} ms" for label in _steps()]
    lines.append(
        f"\nThe {len(statements)} SQL statements, CPU of each in this process per submission:"
    )
    for sql, seconds in statements.most_common():
        text = sql if args.verbose else sql[:60]
        lines.append(f"  {seconds / n * 1000:6.3f} ms  {text}")

    if args.cprofile:
        import cProfile
        import pstats

        profile = cProfile.Profile(time.process_time)
        profile.enable()
        for _ in range(n):
            submit()
        profile.disable()
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats(args.sort).print_stats(40)
        lines.append(out.getvalue())
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
