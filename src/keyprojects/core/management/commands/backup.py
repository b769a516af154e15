from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from keyprojects.core.backup import BackupError, create_backup


class Command(BaseCommand):
    help = "备份数据库与全部存储文件到一个带清单和 SHA-256 校验和的 tar.gz 归档。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            default=None,
            help="归档写入的目录（默认 var/backups）",
        )

    def handle(self, *args, **options):
        output = options["output"] or Path(settings.VAR_DIR) / "backups"
        try:
            report = create_backup(output)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"备份已写入 {report.path}")
        self.stdout.write(
            f"数据库 {report.rows} 条记录，文件 {report.files} 个，归档大小 {_size(report.size)}。"
        )


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB"):
        if n < 1024:
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} GB"
