"""The list pages' query counts, on rows built like the benches build them (bench/_data.py)."""

import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

import _data  # noqa: E402

from keyprojects.orgs.models import Authority, Region  # noqa: E402

from ..factories import make_user  # noqa: E402


@pytest.fixture
def nanjing_reviewer(regions):
    return make_user(None, authority=Authority.objects.get(name="南京市信息化主管部门"))


@pytest.fixture
def nanjing_applicants(regions):
    """Applicant accounts of organisations in 南京市's districts (reviewed by the city)."""
    seats = list(Region.objects.filter(parent_id="320100").select_related("parent"))

    def make(n):
        return _data.organisations_with_users(n, seats=seats)

    return make
