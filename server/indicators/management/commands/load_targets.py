from django.core.management.base import BaseCommand

from indicators.services import indicator_targets_load
from indicators.thresholds import alert_thresholds_load, judgement_thresholds_load


class Command(BaseCommand):
    help = "Create the indicator targets missing from the table, from etl/targets.py (idempotent)."

    def handle(self, *args, **options):
        created = indicator_targets_load()
        self.stdout.write(f"指标目标值：新建 {created} 条（已有的保持不变）")
        self.stdout.write(f"预警阈值：新建 {alert_thresholds_load()} 条（已有的保持不变）")
        created = judgement_thresholds_load()
        self.stdout.write(f"判定阈值：新建 {created} 条（已有的保持不变）")
