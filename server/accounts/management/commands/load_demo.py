import datetime as dt
import time

from django.core.management.base import BaseCommand

from accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, demo_users_write
from collect.demo_history import demo_forms_publish, demo_history_load
from indicators.services import indicator_targets_load, indicators_publish
from registry.demo import DEMO_SEED, demo_registry_build, demo_registry_write
from registry.models import NaturalVillage, SewageFacility, WaterBody


class Command(BaseCommand):
    help = (
        "Load the synthetic 邹区镇 demo: registry, accounts, the five questionnaires, "
        "submissions from 2021 to today and published indicators (idempotent; demo only)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=DEMO_SEED)
        parser.add_argument(
            "--no-history", action="store_true", help="registry and accounts only, no submissions"
        )
        parser.add_argument(
            "--until",
            type=dt.date.fromisoformat,
            default=None,
            help="YYYY-MM-DD: the last day of field work and the indicators' cut-off "
            "(default today)",
        )

    def handle(self, *args, seed: int, no_history: bool, until: dt.date | None, **options):
        town = demo_registry_write(demo_registry_build(seed=seed))
        demo_users_write(town=town)
        self.stdout.write(
            self.style.SUCCESS(
                f"演示数据：自然村 {NaturalVillage.objects.count()} 个，"
                f"处理设施 {SewageFacility.objects.count()} 座，"
                f"黑臭水体 {WaterBody.objects.count()} 处"
            )
        )
        if not no_history:
            self._history(seed, until or dt.date.today())
        self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
        for username, name, _ in DEMO_ACCOUNTS:
            self.stdout.write(f"  {username:<11} {name}")

    def _history(self, seed: int, until: dt.date) -> None:
        started = time.monotonic()
        for line in demo_forms_publish():
            self.stdout.write(f"表单：{line}")
        result = demo_history_load(
            seed=seed,
            until=until,
            progress=lambda done, total: self.stdout.write(f"  历史提交 {done}/{total}"),
        )
        self.stdout.write(
            f"2021 年至 {until:%Y-%m-%d} 演示提交："
            f"新增 {result.sent} 份，已存在 {result.skipped} 份，"
            f"名录变更 {result.registry_changes} 项（{time.monotonic() - started:.0f} 秒）"
        )
        indicator_targets_load()
        summary = indicators_publish(as_of=until)
        self.stdout.write(f"指标已发布：{summary.snapshots} 行")
