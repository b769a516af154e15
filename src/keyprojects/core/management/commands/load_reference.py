from django.core.management.base import BaseCommand

from keyprojects.calls.reference import call_spec, load_call
from keyprojects.orgs.reference import load_departments, load_regions


class Command(BaseCommand):
    help = "Load reference data: Jiangsu's divisions, provincial departments, the 2020 call."

    def handle(self, *args, **options):
        regions = load_regions()
        departments = load_departments()
        call = load_call(call_spec())
        self.stdout.write(
            f"regions: {regions}, provincial departments: {departments}, call: {call.title}"
        )
