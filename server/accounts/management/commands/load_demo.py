from django.core.management.base import BaseCommand

from accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, demo_users_write
from registry.demo import DEMO_SEED, demo_registry_build, demo_registry_write
from registry.models import NaturalVillage, SewageFacility, WaterBody


class Command(BaseCommand):
    help = "Load the synthetic 邹区镇 demo registry and demo accounts (idempotent; demo only)."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=DEMO_SEED)

    def handle(self, *args, seed: int, **options):
        town = demo_registry_write(demo_registry_build(seed=seed))
        demo_users_write(town=town)
        self.stdout.write(
            self.style.SUCCESS(
                f"演示数据：自然村 {NaturalVillage.objects.count()} 个，"
                f"处理设施 {SewageFacility.objects.count()} 座，"
                f"黑臭水体 {WaterBody.objects.count()} 处"
            )
        )
        self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
        for username, name, _ in DEMO_ACCOUNTS:
            self.stdout.write(f"  {username:<11} {name}")
