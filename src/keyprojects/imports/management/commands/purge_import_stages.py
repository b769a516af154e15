"""`manage.py purge_import_stages`: delete imports left unconfirmed past their expiry (24 h).

Every new upload purges them too; run this from cron where uploads are rare, so that staged
personal data does not linger.
"""

from django.core.management.base import BaseCommand

from keyprojects.imports.domain import purge_expired


class Command(BaseCommand):
    help = "删除上传后超过 24 小时仍未确认（或导入失败）的导入检查结果。"

    def handle(self, *args, **options):
        count = purge_expired()
        self.stdout.write(f"已删除 {count} 个过期的导入检查结果。")
