from pathlib import Path

from django.core.management.base import BaseCommand

from registry.importing import template_workbook


class Command(BaseCommand):
    help = "Write the registry import template workbook."

    def add_arguments(self, parser):
        parser.add_argument("out", type=Path, nargs="?", default=Path("registry_template.xlsx"))

    def handle(self, *args, out: Path, **options):
        out.write_bytes(template_workbook())
        self.stdout.write(self.style.SUCCESS(f"已写入 {out}"))
