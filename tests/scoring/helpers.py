"""Building blocks of the scoring tests (the fixtures in conftest.py use them)."""

from decimal import Decimal

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from keyprojects.applications import domain as applications
from keyprojects.core.clock import now
from keyprojects.experts.models import Assignment, Expert
from keyprojects.orgs.models import Region
from keyprojects.review import domain as review
from keyprojects.scoring import domain

from ..factories import credit_code, make_application, make_user


def recommend(call, user, name, reviewer, **values):
    application = applications.submit(make_application(call, user, name=name, **values), by=user)
    return review.decide(application, "recommend", by=reviewer, reason="同意推荐")


def make_expert(name, *, account=True, city="320500", organisation="苏州大学"):
    user = make_user(None) if account else None
    return Expert.objects.create(
        user=user,
        name=name,
        organisation_name=organisation,
        organisation_credit_code=credit_code("12320500MB"),
        city=Region.objects.get(code=city),
        category_codes=["digital_governance"],
        phone="13900000000",
        email=f"{user.username if user else 'noaccount'}@example.com",
    )


EXPERT_NAMES = ["赵一", "钱二", "孙三", "李四", "周五"]


def assign(expert, application, by):
    return Assignment.objects.create(
        expert=expert, application=application, assigned_by=by, assigned_at=now()
    )


def sign_in_expert(client, expert):
    """Log the expert's account in with a session verified by a second factor."""
    device = TOTPDevice.objects.create(user=expert.user, name="手机", confirmed=True)
    client.force_login(expert.user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def full_marks(rubric, share=1):
    """Item scores giving `share` of each criterion's maximum (a Decimal per code)."""
    return {c["code"]: Decimal(c["max"]) * Decimal(str(share)) for c in rubric}


def score(round_, application, expert, items, *, submit=True, opinion="同意"):
    existing = domain.find_score(round_, expert, application)
    return domain.save_score(
        round_,
        application,
        expert,
        items=items,
        comments={},
        opinion=opinion,
        by=expert.user,
        expected_version=existing.version if existing else 0,
        submit=submit,
    )
