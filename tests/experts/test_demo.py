"""The demo experts: idempotent, every category reviewable by three, sign-in leads to set-up."""

from collections import Counter

import pytest
from django.urls import reverse

from keyprojects.core.demo import DEMO_PASSWORD
from keyprojects.experts import demo
from keyprojects.experts.models import Assignment, Expert, ReviewPlan

from .conftest import passed_application

pytestmark = pytest.mark.django_db


def test_load_demo_is_idempotent_and_covers_every_category(call, client):
    first = demo.load_demo(call)
    second = demo.load_demo(call)

    assert first == second and len(first) == 6
    assert Expert.objects.count() == 6
    per_category = Counter(c for e in Expert.objects.all() for c in e.category_codes)
    assert per_category == {code: 3 for code in call.categories.values_list("code", flat=True)}
    username, password, role = first[0]
    assert password == DEMO_PASSWORD and "认证器" in role
    assert client.login(username=username, password=password)
    assert client.get(reverse("experts:home"))["Location"].startswith(reverse("experts:setup"))


def test_load_demo_assigns_applications_that_passed_the_check(call, office):
    application = passed_application(call, office, seat="320102")
    demo.load_demo(call)
    plan = ReviewPlan.objects.get(call=call)
    assert plan.experts_per_application == 3
    assert Assignment.objects.filter(application=application).count() == 3
    demo.load_demo(call)
    assert Assignment.objects.count() == 3
