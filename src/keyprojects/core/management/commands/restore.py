from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from keyprojects.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "从 backup 生成的归档恢复数据库与存储文件：先校验全部校验和与迁移状态，"
        "再在一个事务中清空并载入数据，最后核对记录数与审计链。"
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="backup 生成的 .tar.gz 归档")
        parser.add_argument(
            "--yes",
            action="store_true",
            help="确认清空当前数据库中的全部数据（数据库不为空时必须提供）",
        )

    def handle(self, *args, **options):
        try:
            report = restore_backup(options["archive"], confirmed=options["yes"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"已恢复 {report.created_at} 的备份：数据库 {report.rows} 条记录（与清单一致），"
            f"文件 {report.files} 个（校验和一致）。"
        )
        if report.strays:
            self.stdout.write(
                f"存储目录中另有 {len(report.strays)} 个文件不在备份中，未删除，"
                f"例如 {report.strays[0]}。"
            )
        if report.chain_problems:
            for problem in report.chain_problems:
                self.stderr.write(problem)
            raise CommandError(
                f"数据已恢复，但审计链校验失败：{len(report.chain_problems)} 处问题。"
            )
        self.stdout.write(f"审计链完整：{report.events} 条事件。")
