from django.core.management.base import BaseCommand

from keyprojects.notifications.reminders import send_reminders


class Command(BaseCommand):
    help = "Remind applicants and reviewers of deadlines within three days (run daily)."

    def handle(self, *args, **options):
        self.stdout.write(f"reminders sent: {send_reminders()}")
