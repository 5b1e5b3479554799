from django.core.management.base import BaseCommand

from registry.places import places_load


class Command(BaseCommand):
    help = "Create or update 邹区镇 and its 19 administrative villages (real data; idempotent)."

    def handle(self, *args, **options):
        town = places_load()
        count = town.admin_villages.count()
        self.stdout.write(self.style.SUCCESS(f"{town.name}: {count} 个行政村/社区"))
