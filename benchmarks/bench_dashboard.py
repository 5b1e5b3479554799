"""Dashboard page times in headless Chromium, demo data and province-scale data, on PostgreSQL.

    .venv/bin/python benchmarks/bench_dashboard.py [--repeats 5] [--scale 1.0] [--skip-province]
        [--demo-database-url URL] [--province-database-url URL] [--json FILE]

What it does, all on loopback:
1. PostgreSQL: a throwaway database per data set on the server DATABASE_URL names, or (when
   unset) a throwaway cluster started from /usr/lib/postgresql/*/bin like .ci/run does.
2. Demo data: migrate, load_demo (the town's registry and submissions from 2021 to today,
   published indicators). Province-scale data: migrate, ``benchmarks/province.py`` (many
   towns: 150,000 natural villages, 100,000 facilities, 1,000,000 inspections, 20,000
   water bodies at --scale 1.0, with town official accounts), publish_indicators of the
   largest town (the one measured).
3. The dashboard (``python -m dash_app``, as ``make demo`` runs it; DEBUG off) on a free port.
4. Headless Debian Chromium (Playwright, /usr/bin/chromium) logs in as a town official and
   opens each page ``--repeats`` times after one warm-up pass. A page's time runs from the
   navigation's start to its final chart or table being drawn (``performance.now()`` in the
   page when the last expected element is there), and again by clicking the page's link in
   the navigation from another page (no script loading). Every Dash callback request is timed
   from the network log (request start to response end); the slowest is reported with its
   output.
5. Prints medians per page for both data sets side by side, with the ratio and the targets
   (demo ≤ 1.5 s, province ≤ 3 s); ``--json`` writes them to a file.

The machine is shared: run it more than once and compare medians.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import httpx
import pg  # benchmarks/, the script's folder

REPO = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
CHROMIUM = "/usr/bin/chromium"
PASSWORD = "zouqu-demo"
BASE = "/"
TARGETS = {"demo": 1.5, "province": 3.0}
# The elements that exist only once each of the page's callbacks has drawn its output
# (dcc.Graph draws an empty figure before, so charts are waited for by their traces).
FINAL = {
    "overview": ["#overview-trends .trend:nth-child(5) .js-plotly-plot .main-svg"],
    "villages": ["#village-table td[data-dash-column=name]"],
    "facilities": ["#facility-map .scatterlayer .trace", "#facility-table td"],
    "water": ["#water-stages .barlayer .trace", "#water-head .page-head"],
    "farm": ["#farm-map .scatterlayer .trace", "#farm-head .page-head"],
    "alerts": ["#alert-list .alert-group, #alert-list > p"],
}
NOTHING_LOADING = "() => !document.querySelector('[data-dash-is-loading=true]')"


def environment(database_url: str, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "false",
        "PYTHONPATH": os.pathsep.join([str(REPO), str(REPO / "server")]),
        **extra,
    }


def step(label: str, args: list[str], env: dict[str, str]) -> float:
    started = time.monotonic()
    done = subprocess.run(args, cwd=REPO, env=env, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{label} failed:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}")
    took = time.monotonic() - started
    print(f"  {label}: {took:.0f} s", flush=True)
    return took


def demo_fill(env: dict[str, str]) -> str:
    manage = str(REPO / "server" / "manage.py")
    step("migrate", [PYTHON, manage, "migrate", "--verbosity", "0"], env)
    step("load_demo", [PYTHON, manage, "load_demo"], env)
    return "official"


def province_fill(env: dict[str, str], database_url: str, scale: float) -> str:
    manage = str(REPO / "server" / "manage.py")
    script = REPO / "benchmarks" / "province.py"
    if not script.exists():
        raise SystemExit("benchmarks/province.py is missing")
    step("migrate", [PYTHON, manage, "migrate", "--verbosity", "0"], env)
    args = [PYTHON, str(script), "--database-url", database_url, "--scale", str(scale)]
    step("province.py", args, env)
    # The dashboard reads the viewer's town only: publish the measured town (the largest).
    # Publishing all 500 towns' 2020–2026 values (about 34 million rows) takes hours.
    _, town = province_official(env)
    step("publish_indicators", [PYTHON, manage, "publish_indicators", "--town", town], env)
    return province_official(env)[0]


OFFICIAL_SCRIPT = """
from etl import extract
extract.django_setup()
from django.db.models import Count
from accounts.models import User
from django.db.models import Exists, OuterRef
from indicators.models import IndicatorSnapshot
published = IndicatorSnapshot.objects.filter(level="town", area_code=OuterRef("town__code"))
official = (
    User.objects.filter(role="town_official", is_active=True, town__isnull=False)
    .annotate(n=Count("town__admin_villages__natural_villages"), published=Exists(published))
    .order_by("-published", "-n", "username")
    .first()
)
official.set_password(__import__("sys").argv[1])
official.save()
print(official.username, official.town.code, official.n)
"""


def province_official(env: dict[str, str]) -> tuple[str, str]:
    """(username, town code) of the official of the largest town (most natural villages)
    among those with published indicators (among all when none is published), with a known
    password."""
    done = subprocess.run(
        [PYTHON, "-c", OFFICIAL_SCRIPT, PASSWORD], cwd=REPO, env=env, capture_output=True, text=True
    )
    if done.returncode:
        raise SystemExit(f"no town official in the province data:\n{done.stderr[-2000:]}")
    username, town, villages = done.stdout.split()
    print(f"  town official {username} of {town} ({villages} natural villages)", flush=True)
    return username, town


@contextmanager
def dashboard(env: dict[str, str]):
    port = pg.free_port()
    log_path = Path(tempfile.gettempdir()) / f"bench-dashboard-{port}.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [PYTHON, "-m", "dash_app"],
            cwd=REPO,
            env={**env, "DASH_HOST": "127.0.0.1", "DASH_PORT": str(port)},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}{BASE}"
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    if httpx.get(f"{url}auth/login", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"the dashboard did not start; see {log_path}")
                time.sleep(0.2)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def callback_name(output: str) -> str:
    """``..a.children...b.figure..`` (Dash's multi-output key) -> ``a.children +1``."""
    parts = [p for p in output.strip(".").split("...") if p]
    return parts[0] + (f" +{len(parts) - 1}" if len(parts) > 1 else "") if parts else output


def page_time(page, url: str, name: str, *, via_link: bool = False) -> tuple[float, float, str]:
    """(seconds to the final chart, seconds of the slowest callback, its output).

    Opened by URL (a full page load: scripts, layout, every callback) or, ``via_link``, by
    clicking the page's link in the navigation from another page, as officials move around
    (only the page's own callbacks run)."""
    callbacks: list[tuple[float, str]] = []

    def finished(request) -> None:
        if "_dash-update-component" not in request.url:
            return
        timing = request.timing
        output = callback_name(json.loads(request.post_data or "{}").get("output", "?"))
        callbacks.append(((timing["responseEnd"] - timing["requestStart"]) / 1000, output))

    if via_link:
        start_page = "alerts" if name == "overview" else "overview"
        page.goto(f"{url}{start_page}?year=2025")
        wait_drawn(page, start_page)
        page.wait_for_load_state("networkidle")
        page.on("requestfinished", finished)
        started = page.evaluate("performance.now()")
        page.click(f".nav-link[href*='/{name}?']")
    else:
        page.on("requestfinished", finished)
        started = 0.0
        page.goto(f"{url}{name}?year=2025")
    wait_drawn(page, name)
    took = (page.evaluate("performance.now()") - started) / 1000
    page.wait_for_load_state("networkidle")
    page.remove_listener("requestfinished", finished)
    slowest = max(callbacks, default=(0.0, "—"))
    return took, slowest[0], slowest[1]


def wait_drawn(page, name: str) -> None:
    for selector in FINAL[name]:
        page.wait_for_selector(selector, state="attached", timeout=120_000)
    page.wait_for_function(NOTHING_LOADING, timeout=120_000)


def measure(url: str, username: str, repeats: int) -> dict:
    from playwright.sync_api import sync_playwright

    results: dict[str, dict] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        context = browser.new_context(viewport={"width": 1366, "height": 900})
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        first_login = time.monotonic()
        page.goto(f"{url}auth/login")
        page.fill("#username", username)
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_selector(FINAL["overview"][0], state="attached", timeout=300_000)
        print(f"  first overview after login: {time.monotonic() - first_login:.1f} s", flush=True)
        for name in FINAL:  # warm-up: every page once
            page_time(page, url, name)
        for name in FINAL:
            runs = [page_time(page, url, name) for _ in range(repeats)]
            links = [page_time(page, url, name, via_link=True) for _ in range(repeats)]
            slowest = max(runs, key=lambda r: r[1])
            results[name] = {
                "median_s": statistics.median(r[0] for r in runs),
                "max_s": max(r[0] for r in runs),
                "via_link_median_s": statistics.median(r[0] for r in links),
                "slowest_callback_s": statistics.median(r[1] for r in runs),
                "slowest_callback": slowest[2],
                "runs_s": [round(r[0], 3) for r in runs],
                "via_link_runs_s": [round(r[0], 3) for r in links],
            }
            print(
                f"  {name:<10} load {results[name]['median_s']:.2f} s"
                f"  via link {results[name]['via_link_median_s']:.2f} s"
                f"  slowest callback {results[name]['slowest_callback_s']:.2f} s"
                f" ({slowest[2]})",
                flush=True,
            )
        browser.close()
    if errors:
        print(f"  console errors: {errors}", flush=True)
    return {"pages": results, "console_errors": errors}


def table(report: dict) -> str:
    """Markdown: per page and data set, the median full load, the median by link and the
    slowest callback; ✔/✘ against the target (full load); the province/demo ratio."""
    sets = [s for s in ("demo", "province") if s in report]
    head = "| page | " + " | ".join(f"{s}: load · via link · slowest callback" for s in sets)
    lines = [head + (" | ratio (load) |" if len(sets) == 2 else " |")]
    lines.append("|---" * (len(sets) + 1 + (len(sets) == 2)) + "|")
    for name in FINAL:
        cells = []
        for s in sets:
            row = report[s]["pages"][name]
            mark = "✔" if row["median_s"] <= TARGETS[s] else "✘"
            cells.append(
                f"{row['median_s']:.2f} s {mark} · {row['via_link_median_s']:.2f} s"
                f" · {row['slowest_callback_s']:.2f} s"
            )
        ratio = ""
        if len(sets) == 2:
            demo, prov = (report[s]["pages"][name]["median_s"] for s in sets)
            ratio = f" {prov / demo:.2f} |"
        lines.append(f"| {name} | " + " | ".join(cells) + " |" + ratio)
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--scale", type=float, default=1.0, help="province data scale")
    parser.add_argument("--skip-province", action="store_true")
    parser.add_argument(
        "--demo-database-url", help="measure this database (already holding load_demo's data)"
    )
    parser.add_argument(
        "--province-database-url",
        help="measure this database (already filled by province.py and publish_indicators)",
    )
    parser.add_argument("--json", type=Path)
    args, _ = parser.parse_known_args()  # make bench passes every script the same options
    if not Path(CHROMIUM).exists():
        print("skipped: Debian chromium is not installed (apt-get install -y chromium)")
        return 0
    report: dict = {"repeats": args.repeats, "scale": args.scale}
    with pg.server() as server:
        for name in ("demo", "province"):
            if name == "province" and args.skip_province:
                continue
            print(f"{name} data:", flush=True)
            given = getattr(args, f"{name}_database_url")
            if given:
                env = environment(given)
                username = "official" if name == "demo" else province_official(env)[0]
                with dashboard(env) as url:
                    report[name] = measure(url, username, args.repeats)
                continue
            with pg.database(server, f"zouqu_bench_{name}") as database_url:
                env = environment(database_url)
                started = time.monotonic()
                if name == "demo":
                    username = demo_fill(env)
                else:
                    username = province_fill(env, database_url, args.scale)
                report[f"{name}_fill_s"] = round(time.monotonic() - started)
                with dashboard(env) as url:
                    report[name] = measure(url, username, args.repeats)
    print()
    print(table(report))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    failed = [
        f"{s}/{p}"
        for s in ("demo", "province")
        if s in report
        for p, row in report[s]["pages"].items()
        if row["median_s"] > TARGETS[s]
    ]
    if failed:
        print(f"over target: {', '.join(failed)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
