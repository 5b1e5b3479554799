"""``python -m etl run`` and ``python -m etl export --year 2025 --out FILE.xlsx``.

Parses arguments, reads the clock once (the default cut-off is today), calls
``etl.pipeline`` and returns an exit code.
"""

import argparse
import datetime as dt
import sys
from pathlib import Path

from etl import pipeline
from etl.tidy import FORM_SPECS

FORM_IDS = sorted(FORM_SPECS)


def _date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="python -m etl", description="邹区镇 survey ETL")
    commands = root.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="recompute every indicator and write the snapshot")
    run.add_argument("--as-of", type=_date, help="data cut-off date (default: today)")
    run.add_argument("--out-dir", type=Path, default=pipeline.SNAPSHOT_DIR)
    run.add_argument("--first-year", type=int, default=pipeline.FIRST_YEAR)
    run.add_argument("--quiet", action="store_true", help="no progress bar")
    export = commands.add_parser("export", help="write the annual assessment workbook")
    export.add_argument("--year", type=int, required=True)
    export.add_argument("--out", type=Path, required=True, help="the .xlsx file to write")
    export.add_argument("--as-of", type=_date, help="data cut-off date (default: today)")
    raw = commands.add_parser("raw", help="raw data per form as CSV/XLSX, or GeoJSON")
    raw.add_argument("--form", action="append", choices=FORM_IDS, help="default: every form")
    raw.add_argument("--lang", choices=["zh", "en"], default="zh")
    raw.add_argument("--format", choices=["csv", "xlsx", "geojson"], default="xlsx")
    raw.add_argument("--out", type=Path, required=True, help="a folder (a file for geojson)")
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    now = dt.datetime.now()
    as_of = getattr(args, "as_of", None) or now.date()
    if args.command == "run":
        result = pipeline.run(
            as_of=as_of,
            out_dir=args.out_dir,
            first_year=args.first_year,
            progress=not args.quiet,
        )
        town = result.results.query("level == 'town' and period == @as_of.strftime('%Y')")
        several = town["area_code"].nunique() > 1
        for row in town.itertuples():
            area = f"{row.area_code} " if several else ""
            print(f"{area}{row.code:<24} {row.value:6.1f}%  {row.numerator:g}/{row.denominator:g}")
        print(f"data-quality issues: {len(result.tables.data_quality)}; snapshot: {args.out_dir}")
        return 0
    if args.command == "export":
        out = pipeline.export(year=args.year, out=args.out, as_of=as_of, generated_at=now)
        print(f"wrote {out}")
        return 0
    if args.command == "raw":
        paths = pipeline.raw_export(
            form_ids=args.form or FORM_IDS, lang=args.lang, fmt=args.format, out=args.out
        )
        print("\n".join(f"wrote {path}" for path in paths))
        return 0
    return 2  # pragma: no cover - argparse refuses unknown commands


if __name__ == "__main__":
    sys.exit(main())
