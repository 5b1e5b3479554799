"""``manage.py publish_indicators [--as-of DATE] [--town CODE ...] [--watch [--interval S]]``.

``--town`` (repeatable) republishes only those towns' values; the others keep theirs.

``--watch`` keeps running (``make demo`` starts it beside the server): every ``interval``
seconds it compares a cheap fingerprint of the data (submissions, registry changes, targets)
with the one it last published. On a change it brings the registry in line with submissions
whose review state changed (new submissions already updated it when they arrived), then
publishes incrementally: the new submissions are tidied into the tidy store and only the
towns whose data changed are recomputed and stored, for the current year
(``indicators_publish_changes``); a change of targets or registry republishes the current
year of every town. A new submission shows in the indicator API within seconds. Once the
data have been quiet for ``--settle`` seconds it republishes every year too (edits of older
records).
"""

import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError

from indicators.selectors import data_fingerprint
from indicators.services import (
    indicator_targets_load,
    indicators_publish,
    indicators_publish_changes,
)
from registry.models import Town
from registry.services import registry_follow_updates


class Command(BaseCommand):
    help = "Recompute every indicator and replace the published results (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--as-of", help="data cut-off date YYYY-MM-DD (default: today)")
        parser.add_argument("--first-year", type=int, default=2020)
        parser.add_argument(
            "--town",
            action="append",
            dest="towns",
            metavar="CODE",
            help="publish only this town (9-digit code; repeatable; not with --watch)",
        )
        parser.add_argument("--watch", action="store_true", help="republish whenever data change")
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between checks")
        parser.add_argument(
            "--settle", type=float, default=15.0, help="quiet seconds before a full republish"
        )

    def handle(self, *args, as_of, first_year, towns, watch, interval, settle, **options):
        try:
            fixed = dt.date.fromisoformat(as_of) if as_of else None
        except ValueError as exc:
            raise CommandError(f"日期格式应为 YYYY-MM-DD：{as_of}") from exc
        if towns:
            if watch:
                raise CommandError("--town 不能与 --watch 同时使用")
            known = set(Town.objects.filter(code__in=towns).values_list("code", flat=True))
            unknown = sorted(set(towns) - known)
            if unknown:
                raise CommandError(f"没有这些镇：{'、'.join(unknown)}")
        indicator_targets_load()
        if not watch:
            self._publish(fixed or dt.date.today(), first_year, None, progress=True, towns=towns)
            return
        try:
            self._watch(fixed, first_year, interval, settle)
        except KeyboardInterrupt:
            return

    def _watch(self, fixed, first_year: int, interval: float, settle: float) -> None:
        published = None
        since = None  # the latest submission update already followed
        changed_at = None  # when the last change was published for the current year only
        while True:
            fingerprint = data_fingerprint()
            cut_off = fixed or dt.date.today()
            if fingerprint != published:
                latest = fingerprint[1][2]
                if since is not None and latest is not None and latest > since:
                    registry_follow_updates(since=since)
                    fingerprint = data_fingerprint()
                since = latest
                if published is None:
                    self._publish(cut_off, first_year, None)
                else:
                    started = time.monotonic()
                    summary = indicators_publish_changes(as_of=cut_off, first_year=first_year)
                    if summary is None:  # targets or registry changed: every town
                        self._publish(cut_off, first_year, [cut_off.year])
                    else:
                        self._report(summary, f"{cut_off.year}年，有变化的镇", started)
                    changed_at = time.monotonic()
                published = fingerprint
            elif changed_at is not None and time.monotonic() - changed_at >= settle:
                self._publish(cut_off, first_year, None)
                changed_at = None
            else:
                time.sleep(interval)

    def _publish(self, as_of, first_year, years, progress: bool = False, towns=None) -> None:
        started = time.monotonic()
        summary = indicators_publish(
            as_of=as_of, first_year=first_year, years=years, progress=progress, towns=towns
        )
        scope = f"{years[0]}年" if years else f"{first_year}年起全部"
        if towns:
            scope += f"，{'、'.join(sorted(towns))}"
        self._report(summary, scope, started)

    def _report(self, summary, scope: str, started: float) -> None:
        values = "，".join(
            f"{code} {'—' if v is None else f'{v:.1f}%'}" for code, v in summary.town_values.items()
        )
        self.stdout.write(
            f"指标已发布（{scope}，截止 {summary.as_of}，{summary.snapshots} 行，"
            f"{time.monotonic() - started:.1f} 秒）：{values}",
        )
        self.stdout.flush()
