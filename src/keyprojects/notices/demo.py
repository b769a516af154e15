"""Demo data: the call's tiers and, once projects are selected, a published notice with one
objection from the public. Creates no accounts (the office account is core.demo's)."""

import datetime as dt

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from keyprojects.applications.workflow import TransitionRefused
from keyprojects.core.clock import china_midnight
from keyprojects.orgs.models import OFFICE_GROUP, User

from . import decisions, objections, publication, queries
from .models import PublicNotice
from .workdays import working_days_end


@transaction.atomic
def load_demo(call, today: dt.date) -> list[tuple[str, str, str]]:
    """Idempotent; returns the demo accounts it created (none)."""
    office = User.objects.filter(groups__name=OFFICE_GROUP, is_active=True).first()
    group = Group.objects.filter(name=OFFICE_GROUP).first()
    if group is not None:
        # The office edits tiers in the admin.
        group.permissions.add(*Permission.objects.filter(content_type__app_label="notices"))
    if office is None:
        return []
    decisions.create_default_tiers(call, by=office)
    selected = list(queries.selected(call))
    if not selected or PublicNotice.objects.filter(call=call).exists():
        return []
    values = {
        "title": f"{call.title}拟入选项目公示（演示）",
        "text": (
            "经形式审查、专家评审和综合会审，现将拟入选项目予以公示。公示期内可在本页面提出异议。"
        ),
        "starts_on": today,
        "ends_on": working_days_end(today, 5),
        "contact_name": "省信息化办",
        "contact_phone": "025-83000000",
        "contact_email": "notice@example.com",
        "contact_address": "南京市北京东路41号",
    }
    notice = publication.save_notice(call, values, by=office)
    try:
        notice = publication.publish(notice, by=office)
    except TransitionRefused:  # e.g. `today` already past: the draft stays for the office
        return []
    objections.file_objection(
        notice,
        application=selected[0],
        reasons="（演示）该项目部分建设内容在2018年已完成，疑似续期建设项目。",
        name="张某",
        phone="13900000000",
        at=china_midnight(today) + dt.timedelta(hours=10),
    )
    return []
