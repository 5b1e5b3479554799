"""Indicators at province scale on PostgreSQL: full recompute, incremental update, workbook.

    .venv/bin/python benchmarks/bench_indicators.py [--scale 1.0] [--repeat 3] [--db-prefix P]

What it does:
1. PostgreSQL: a throwaway database on the server DATABASE_URL names, or a throwaway
   cluster (as benchmarks/bench_submissions.py); ``migrate``; ``benchmarks/province.py``
   fills it (scale 1.0: 500 towns, 150,000 natural villages, 100,000 facilities, 1,000,000
   inspections, 20,000 water bodies, 1.18 M submissions in all).
2. Builds the tidy store once (``etl.store.refresh``: every submission tidied; a one-off
   cost, reported).
3. ``--repeat`` times, side by side, each in a fresh process (peak RSS is the process's):
   - **full recompute**: ``etl.pipeline.database_compute`` for 2025 (the year, its quarters
     and months), every town, administrative and natural village, all five indicators;
   - **single SQL read**: one query reading the same rows (the tidy rows that count), the
     baseline the issue asks the recompute to be compared with;
   - **raw answers read**: one query reading the answers JSON of every current submission,
     what a recompute without the tidy store would have to read first.
4. **Incremental update**: 100 new inspections in 4 towns, then
   ``indicators.services.indicators_publish_changes`` (tidy the new ones, recompute and store
   the snapshots of the changed towns for 2025); the towns are published once before.
5. **Annual workbook**: ``etl.pipeline.export`` for 2025 of all towns, at this scale and at a
   tenth of it in a second database: time, peak RSS before writing (the computed data) and
   the growth of RSS while the workbook is written (the streaming writer).

Prints medians; numbers go to benchmarks/README.md by hand. The machine's other load makes
them noisy: compare the ratios measured in one run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path[:0] = [str(HERE), str(REPO), str(REPO / "server")]
PYTHON = sys.executable
AS_OF = "2025-12-31"
YEAR = 2025


def postgres(prefix: str):
    """A fresh database named ``<prefix>_<random>`` on DATABASE_URL's server (dropped
    afterwards), else a throwaway cluster: bench_submissions.postgres."""
    from bench_submissions import postgres as fresh_database

    return fresh_database(prefix)


def _env(url: str) -> dict:
    return {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings"}


def _run(url: str, *args: str) -> None:
    subprocess.run([PYTHON, *args], check=True, cwd=REPO, env=_env(url))


def _child(url: str, task: str, *extra: str) -> dict:
    """Run one measurement in a fresh process; its JSON line on stdout."""
    done = subprocess.run(
        [PYTHON, __file__, "--child", task, *extra],
        check=True,
        cwd=REPO,
        env=_env(url),
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def _prepare(url: str, scale: float) -> dict:
    _run(url, "server/manage.py", "migrate", "--noinput", "-v0")
    started = time.perf_counter()
    _run(url, "benchmarks/province.py", "--database-url", url, "--scale", str(scale))
    generated = time.perf_counter() - started
    store = _child(url, "store")
    return {"generate_s": generated, **store}


# --------------------------------------------------------------------------- children


def _rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _child_main(task: str, extra: list[str]) -> dict:
    import datetime as dt

    from etl import extract

    extract.django_setup()
    from django.db import connection

    from etl import indicators, pipeline, store

    as_of = dt.date.fromisoformat(AS_OF)
    if task == "store":
        started = time.perf_counter()
        changes = store.refresh()
        return {"store_s": time.perf_counter() - started, "tidied": changes.tidied}
    if task == "full":
        from indicators.services import indicator_targets

        started = time.perf_counter()
        result = pipeline.database_compute(
            as_of=as_of, periods=indicators.year_periods(YEAR), targets=indicator_targets()
        )
        seconds = time.perf_counter() - started
        rows = sum(len(o.table) for o in result.outputs.values())
        return {"seconds": seconds, "rss_mb": _rss_mb(), "values": rows}
    if task == "baseline":
        from indicators.models import TidyRow

        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(
                f'SELECT line FROM "{TidyRow._meta.db_table}" '
                "WHERE is_current AND review_state <> 'rejected'"
            )
            count = len(cursor.fetchall())
        return {"seconds": time.perf_counter() - started, "rows": count}
    if task == "raw":
        from collect.models import Submission

        started = time.perf_counter()
        size = 0
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(
                f'COPY (SELECT answers FROM "{Submission._meta.db_table}" WHERE is_current) '
                "TO STDOUT"
            ) as copy,
        ):
            for block in copy:
                size += len(block)
        return {"seconds": time.perf_counter() - started, "mb": size / 2**20}
    if task == "incremental":
        import province

        from indicators.services import indicators_publish, indicators_publish_changes
        from registry.models import Town

        towns = sorted(Town.objects.values_list("code", flat=True))[: int(extra[0])]
        store.refresh()
        indicators_publish(as_of=as_of, years=[YEAR], towns=towns)
        province.inspections_add(
            count=100, town_codes=towns, when=dt.date(YEAR, 12, 20), seed=int(extra[1])
        )
        started = time.perf_counter()
        summary = indicators_publish_changes(as_of=as_of)
        seconds = time.perf_counter() - started
        return {"seconds": seconds, "snapshots": summary.snapshots if summary else 0}
    if task == "workbook":
        import tempfile

        from indicators.services import indicator_targets

        started = time.perf_counter()
        # What ``pipeline.export`` (``python -m etl export``, the export API) computes.
        result = pipeline.database_compute(
            as_of=as_of, periods=pipeline.workbook_periods(YEAR), targets=indicator_targets()
        )
        computed = time.perf_counter() - started
        before = _rss_mb()
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "annual.xlsx"
            pipeline.workbook_write(
                result, year=YEAR, out=path, generated_at=dt.datetime(2026, 1, 5, 9, 0)
            )
            size = path.stat().st_size
        return {
            "seconds": time.perf_counter() - started,
            "compute_s": computed,
            "rss_before_write_mb": before,
            "rss_peak_mb": _rss_mb(),
            "mb": size / 2**20,
        }
    raise SystemExit(f"unknown task {task}")


# --------------------------------------------------------------------------- main


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--db-prefix", default="zouqu_bench_indicators", help="database names")
    parser.add_argument(
        "--database-url", help="measure this database, already filled by province.py (kept)"
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("rest", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(_child_main(args.child, args.rest)))
        return 0
    report: dict = {"scale": args.scale}
    existing = contextmanager(lambda: (yield args.database_url))
    with existing() if args.database_url else postgres(args.db_prefix) as url:
        if args.database_url:
            _run(url, "server/manage.py", "migrate", "--noinput", "-v0")
            report["prepare"] = {"generate_s": float("nan"), **_child(url, "store")}
        else:
            report["prepare"] = _prepare(url, args.scale)
        print(f"prepared: {report['prepare']}", flush=True)
        runs: dict[str, list[dict]] = {"full": [], "baseline": [], "raw": []}
        for _ in range(args.repeat):
            for task in runs:
                runs[task].append(_child(url, task))
                print(f"{task}: {runs[task][-1]}", flush=True)
        # Seeds of this run only: a kept database already holds the inspections of earlier
        # runs' seeds (their instance IDs would collide).
        first_seed = time.time_ns() % 10**9
        increments = [
            _child(url, "incremental", "4", str(first_seed + n)) for n in range(args.repeat)
        ]
        print(f"incremental: {increments}", flush=True)
        report["workbook"] = _child(url, "workbook")
        print(f"workbook: {report['workbook']}", flush=True)
    with postgres(args.db_prefix) as small:
        report["prepare_small"] = _prepare(small, args.scale / 10)
        report["workbook_small"] = _child(small, "workbook")
        print(f"workbook at scale {args.scale / 10:g}: {report['workbook_small']}", flush=True)

    def median(rows: list[dict], key: str) -> float:
        return statistics.median(r[key] for r in rows)

    full, base, raw = (median(runs[t], "seconds") for t in ("full", "baseline", "raw"))
    print()
    print(f"scale {args.scale:g}, medians of {args.repeat} runs")
    print(
        f"full recompute (2025, all levels): {full:.1f} s, peak RSS "
        f"{median(runs['full'], 'rss_mb'):.0f} MB, {runs['full'][0]['values']} values"
    )
    print(f"single SQL read of the same rows:  {base:.1f} s  -> ratio {full / base:.1f}")
    print(f"raw answers JSON read:             {raw:.1f} s  -> ratio {full / raw:.2f}")
    print(f"incremental update (100 new):      {median(increments, 'seconds'):.2f} s")
    for label, book in (("", report["workbook"]), (" (1/10)", report["workbook_small"])):
        print(
            f"annual workbook{label}: {book['seconds']:.1f} s, {book['mb']:.1f} MB file, "
            f"RSS before writing {book['rss_before_write_mb']:.0f} MB, peak "
            f"{book['rss_peak_mb']:.0f} MB "
            f"(+{book['rss_peak_mb'] - book['rss_before_write_mb']:.0f} MB while writing)"
        )
    print(
        f"one-off: generate {report['prepare']['generate_s']:.0f} s, tidy store "
        f"{report['prepare']['store_s']:.0f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
