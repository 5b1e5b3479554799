from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from registry.importing import ImportFailed, registry_import


class Command(BaseCommand):
    help = "Import natural villages, facilities and water bodies from an .xlsx or .csv register."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        if not file.is_file():
            raise CommandError(f"文件不存在：{file}")
        with file.open("rb") as handle:
            try:
                result = registry_import(file=handle, filename=file.name)
            except ImportFailed as exc:
                for error in exc.errors:
                    self.stderr.write(str(error))
                raise CommandError(
                    f"导入失败，共 {len(exc.errors)} 处错误，未写入任何数据"
                ) from exc
        self.stdout.write(self.style.SUCCESS(result.summary()))
