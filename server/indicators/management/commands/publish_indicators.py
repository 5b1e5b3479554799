"""``manage.py publish_indicators [--as-of DATE] [--watch [--interval S]]``.

``--watch`` keeps running: every ``interval`` seconds it compares a cheap fingerprint of the
data (submissions, registry changes, targets) with the one it last published. On a change it
first republishes the current year (about a second on the demo data), then, once nothing
new has arrived, every year. ``make demo`` runs it beside the server, so a new submission
reaches the indicator API within a few seconds.
"""

import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError

from indicators.selectors import data_fingerprint
from indicators.services import indicator_targets_load, indicators_publish


class Command(BaseCommand):
    help = "Recompute every indicator and replace the published results (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--as-of", help="data cut-off date YYYY-MM-DD (default: today)")
        parser.add_argument("--first-year", type=int, default=2020)
        parser.add_argument("--watch", action="store_true", help="republish whenever data change")
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between checks")

    def handle(self, *args, as_of, first_year, watch, interval, **options):
        try:
            fixed = dt.date.fromisoformat(as_of) if as_of else None
        except ValueError as exc:
            raise CommandError(f"日期格式应为 YYYY-MM-DD：{as_of}") from exc
        indicator_targets_load()
        if not watch:
            self._publish(fixed or dt.date.today(), first_year, None, progress=True)
            return
        published = None
        full_pending = True
        while True:
            fingerprint = data_fingerprint()
            cut_off = fixed or dt.date.today()
            if fingerprint != published:
                # New data: the current year first, so it shows within seconds.
                self._publish(cut_off, first_year, [cut_off.year])
                published, full_pending = fingerprint, True
            elif full_pending:
                self._publish(cut_off, first_year, None)
                full_pending = False
            else:
                time.sleep(interval)

    def _publish(self, as_of, first_year, years, progress: bool = False) -> None:
        started = time.monotonic()
        summary = indicators_publish(
            as_of=as_of, first_year=first_year, years=years, progress=progress
        )
        values = "，".join(
            f"{code} {'—' if v is None else f'{v:.1f}%'}" for code, v in summary.town_values.items()
        )
        scope = f"{years[0]}年" if years else f"{first_year}年起全部"
        self.stdout.write(
            f"指标已发布（{scope}，截止 {summary.as_of}，{summary.snapshots} 行，"
            f"{time.monotonic() - started:.1f} 秒）：{values}",
        )
        self.stdout.flush()
