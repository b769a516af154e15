"""The demo data of the notices app: nothing without selected projects, idempotent."""

import pytest

from keyprojects.notices.demo import load_demo
from keyprojects.notices.models import Objection, PublicNotice
from keyprojects.notices.publication import today

pytestmark = pytest.mark.django_db


def test_nothing_but_tiers_without_selected_projects(call, office):
    assert load_demo(call, today()) == []
    assert call.tiers.count() == 2
    assert not PublicNotice.objects.exists()


def test_a_published_notice_with_one_objection_once(call, listed, office):
    for _ in range(2):
        assert load_demo(call, today()) == []
    notice = PublicNotice.objects.get()
    assert notice.state == "published"
    assert Objection.objects.filter(notice=notice).count() == 1
    assert call.tiers.count() == 2
