"""Shared builders for the experts tests: the office, experts with accounts, a verified
session, and applications brought to check_passed the way the product does it."""

import itertools

import pytest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from keyprojects.applications import domain as applications
from keyprojects.applications import workflow
from keyprojects.experts.models import Expert
from keyprojects.orgs.models import Region
from keyprojects.review import domain as review

from ..factories import credit_code, make_application, make_office, make_organisation, make_user

_serial = itertools.count(1)


@pytest.fixture
def office(regions):
    return make_office(username="office")


def make_expert(
    *, city="320300", categories=("digital_governance",), code=None, account=True, **fields
):
    """An expert of the pool; by default in 徐州市, reviewing 数字治理类, with an account."""
    n = next(_serial)
    user = make_user(None, username=f"expert{n}") if account else None
    values = {
        "user": user,
        "name": f"专家{n}",
        "organisation_name": f"专家单位{n}",
        "organisation_credit_code": code or credit_code("12320000MB"),
        "city": Region.objects.get(code=city),
        "category_codes": list(categories),
        "phone": "13900000000",
        "email": f"expert{n}@example.com",
    }
    return Expert.objects.create(**{**values, **fields})


def passed_application(call, office, *, seat="320102", category="digital_governance", **org):
    """A new organisation's application, submitted, recommended by its authority and
    passed by the office's formal check (status check_passed)."""
    owner = make_user(make_organisation(seat=seat, **org))
    application = make_application(
        call,
        owner,
        name=f"项目{next(_serial)}",
        category=call.categories.get(code=category),
    )
    application = applications.submit(application, by=owner)
    reviewer = make_user(None, authority=application.authority)
    review.decide(application, "recommend", by=reviewer, reason="同意推荐")
    return workflow.perform(application, "pass_check", by=office)


def verify_session(client, user):
    """Sign `user` in with a confirmed authenticator, as after a correct code."""
    device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device
