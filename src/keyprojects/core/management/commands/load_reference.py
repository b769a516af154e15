from django.core.management.base import BaseCommand

from keyprojects.calls.reference import call_spec, load_call
from keyprojects.orgs.reference import load_authorities, load_departments, load_regions


class Command(BaseCommand):
    help = "Load reference data: divisions, authorities, provincial departments, the 2020 call."

    def handle(self, *args, **options):
        regions = load_regions()
        departments = load_departments()
        authorities = load_authorities()
        call = load_call(call_spec())
        self.stdout.write(
            f"regions: {regions}, provincial departments: {departments}, "
            f"city and county authorities: {authorities}, call: {call.title}"
        )
