from django.core.management.base import BaseCommand

from keyprojects.core.demo import load_demo


class Command(BaseCommand):
    help = "Load demo data (a call open today, demo organisations) and print demo accounts."

    def handle(self, *args, **options):
        accounts = load_demo()
        self.stdout.write("\n演示账号 / demo accounts (http://127.0.0.1:8000/accounts/login/):")
        for username, password, role in accounts:
            self.stdout.write(f"  {username:<14} {password:<20} {role}")
