from django.core.management.base import BaseCommand, CommandError

from keyprojects.audit import chain
from keyprojects.audit.models import Event


class Command(BaseCommand):
    help = "Recompute the SM3 chain of the audit trail; fails if any event was changed or removed."

    def handle(self, *args, **options):
        problems = chain.verify()
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(f"审计链校验失败：{len(problems)} 处问题。")
        self.stdout.write(f"审计链完整：{Event.objects.count()} 条事件。")
