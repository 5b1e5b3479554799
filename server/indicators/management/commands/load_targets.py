from django.core.management.base import BaseCommand

from indicators.services import indicator_targets_load


class Command(BaseCommand):
    help = "Create the indicator targets missing from the table, from etl/targets.py (idempotent)."

    def handle(self, *args, **options):
        created = indicator_targets_load()
        self.stdout.write(f"指标目标值：新建 {created} 条（已有的保持不变）")
