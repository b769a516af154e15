"""The demo: two published cases and a draft, made through the domain; loading twice adds
nothing."""

import datetime as dt

from django.contrib.auth import authenticate

from keyprojects.cases.demo import load_demo
from keyprojects.cases.models import Case, Collection
from keyprojects.core.demo import DEMO_PASSWORD

from .. import factories


def test_load_demo_is_idempotent_and_uses_four_eyes(call, regions):
    office = factories.make_office(username="office")
    make = factories.selected_maker(call, office)
    for name in ["甲项目", "乙项目", "丙项目"]:
        make(name)
    accounts = load_demo(call, dt.date.today())
    assert accounts == [("office2", DEMO_PASSWORD, accounts[0][2])]
    assert authenticate(username="office2", password=DEMO_PASSWORD) is not None
    load_demo(call, dt.date.today())
    cases = Case.objects.order_by("title")
    assert [(c.title, c.state) for c in cases] == [
        ("丙项目", "published"),  # the first two by name (code point order)
        ("乙项目", "published"),
        ("甲项目", "draft"),
    ]
    for case in cases.filter(state="published"):
        assert case.consent_valid and case.submitted_by == office
        assert case.published_by.username == "office2"
        assert case.figures.count() == 2 and case.images.count() == 1
    assert Collection.objects.get(year=call.year).case_count == 2
