from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Role
from collect.exceptions import FormPublishError
from collect.services import form_publish


class Command(BaseCommand):
    help = (
        "Publish XLSForms (files, or every .xlsx in a folder) as new form versions. "
        "Re-publishing an unchanged version is a no-op, so this is safe to repeat."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="XLSForm .xlsx/.xls files or folders of them")
        parser.add_argument(
            "--media", nargs="*", default=[], help="media files the form references (images, CSV)"
        )
        parser.add_argument(
            "--roles",
            nargs="*",
            choices=[role.value for role in Role],
            help="roles that may fill it (default: all; contractors only for facility forms)",
        )

    def handle(self, *args, paths: list[str], media: list[str], roles: list[str] | None, **options):
        files = []
        for raw in paths:
            path = Path(raw)
            if path.is_dir():
                files.extend(
                    p for p in sorted(path.glob("*.xls*")) if not p.name.startswith(("~$", "."))
                )
            elif path.is_file():
                files.append(path)
            else:
                raise CommandError(f"找不到文件：{raw}")
        if not files:
            raise CommandError("没有找到 XLSForm 文件")
        media_files = {}
        for raw in media:
            path = Path(raw)
            if not path.is_file():
                raise CommandError(f"找不到媒体文件：{raw}")
            media_files[path.name] = path.read_bytes()
        for path in files:
            try:
                result = form_publish(
                    xlsform_name=path.name,
                    xlsform=path.read_bytes(),
                    media=media_files,
                    fill_roles=roles,
                )
            except FormPublishError as exc:
                raise CommandError(f"{path}: {exc.message}") from exc
            version = result.version
            state = "已发布" if result.created else "未变化"
            self.stdout.write(
                f"{state}: {version.form.form_id} 版本 {version.version} ({version.title})"
            )
