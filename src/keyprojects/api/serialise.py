"""Model objects → the plain dicts the response schemas (schemas.py) check and document.

Each function reads only what its queryset (queries.py) joined, so a page of rows costs no
query per row.
"""

from django.urls import reverse

from keyprojects.applications.models import (
    PartnerRole,
    SecurityLevel,
    Technology,
)
from keyprojects.applications.printing import history_rows
from keyprojects.applications.workflow import PROVINCIAL_STAGES, Status
from keyprojects.calls.domain import WindowState, window_state
from keyprojects.core.clock import now
from keyprojects.notices.models import PublicNotice
from keyprojects.orgs.models import Region
from keyprojects.tracking.models import Grade, ProgressReport, TrackedProject, TrackingRound

from .common import code_label, region_ref

WINDOW_LABELS = [
    (WindowState.UPCOMING, "未开始"),
    (WindowState.OPEN, "申报中"),
    (WindowState.CLOSED, "已截止"),
]


def call_ref(call) -> dict:
    return {"slug": call.slug, "year": call.year, "title": call.title}


def category(value) -> dict | None:
    return {"code": value.code, "name": value.name} if value is not None else None


def city_of(seat):
    """The prefecture city (设区市) of a seat; None for the province itself."""
    if seat is None:
        return None
    if seat.is_county_level:
        return seat.parent
    return seat if seat.kind == Region.Kind.CITY else None


def named(authority) -> dict | None:
    return {"id": authority.pk, "name": authority.name} if authority is not None else None


def call(value, at=None, *, detail=False) -> dict:
    result = {
        **call_ref(value),
        "notice_number": value.notice_number,
        "window": code_label(window_state(value, at or now()), WINDOW_LABELS),
        "window_opens_at": value.window_opens_at,
        "window_closes_at": value.window_closes_at,
        "recommendation_deadline": value.recommendation_deadline,
        "min_informatisation_investment": value.min_informatisation_investment,
        "earliest_start": value.earliest_start,
        "nominal_period_months": value.nominal_period_months,
        "per_applicant_limit": value.per_applicant_limit,
        "categories": [category(c) for c in value.categories.all()],
        "contact_name": value.contact_name,
        "contact_phone": value.contact_phone,
        "support_phone": value.support_phone,
        "contact_address": value.contact_address,
        "url": reverse("calls:detail", args=[value.slug]),
    }
    if detail:
        result.update(
            notice_text=value.notice_text,
            requirements=value.requirements,
            instructions=value.instructions,
            materials=[
                {"title": m.title, "url": reverse("calls:material", args=[value.slug, m.pk])}
                for m in value.materials.all()
            ],
        )
    return result


def region(value) -> dict:
    return {
        "code": value.code,
        "name": value.name,
        "kind": code_label(value.kind, Region.Kind.choices),
        "parent": value.parent_id,
        "established_on": value.established_on,
        "abolished_on": value.abolished_on,
    }


def notice(value) -> dict:
    return {
        "id": value.pk,
        "call": call_ref(value.call),
        "title": value.title,
        "text": value.text,
        "state": code_label(value.state, PublicNotice.State.choices),
        "starts_on": value.starts_on,
        "ends_on": value.ends_on,
        "published_at": value.published_at,
        "finalised_at": value.finalised_at,
        "contact_name": value.contact_name,
        "contact_phone": value.contact_phone,
        "contact_email": value.contact_email,
        "contact_address": value.contact_address,
        "url": reverse("notices:public", args=[value.pk]),
    }


def _tier(application):
    decision = getattr(application, "notice_decision", None)
    return decision.tier.name if decision is not None and decision.tier is not None else None


def selected(application) -> dict:
    return {
        "id": application.pk,
        "call": call_ref(application.call),
        "name": application.name,
        "applicant": application.organisation.name,
        "city": region_ref(city_of(application.organisation.seat)),
        "category": category(application.category),
        "tier": _tier(application) or "",
    }


def _money(application) -> dict:
    return {
        "total_investment": application.total_investment,
        "civil_works_investment": application.civil_works_investment,
        "informatisation_investment": application.informatisation_investment,
    }


def project(application, *, detail=False) -> dict:
    organisation = application.organisation
    result = {
        "id": application.pk,
        "call": call_ref(application.call),
        "name": application.name,
        "summary": application.summary,
        "category": category(application.category),
        "organisation": {"name": organisation.name, "credit_code": organisation.credit_code},
        "seat": region_ref(organisation.seat),
        "city": region_ref(city_of(organisation.seat)),
        "authority": named(application.authority),
        "copy_authority": named(application.copy_authority),
        "status": code_label(application.status, Status.choices),
        "tier": _tier(application),
        **_money(application),
        "investment_completed": application.investment_completed,
        "start_month": application.start_month,
        "planned_completion_month": application.planned_completion_month,
        "submitted_at": application.submitted_at,
        "updated_at": application.updated_at,
    }
    if detail:
        result.update(_project_detail(application))
    return result


def _project_detail(application) -> dict:
    text_fields = [
        "construction_content",
        "innovation",
        "core_technology",
        "domestic_products",
        "problems_solved",
        "users_served",
        "economic_benefit",
        "social_benefit",
        "promotion_prospects",
        "funding_sources",
    ]
    technologies = [
        code_label(code, Technology.choices)
        for code in application.technologies
        if code in Technology.values
    ]
    return {
        **{name: getattr(application, name) for name in text_fields},
        "technologies": technologies,
        "security_level": (
            code_label(application.security_level, SecurityLevel.choices)
            if application.security_level
            else None
        ),
        "is_cooperative": application.is_cooperative,
        "partners": [
            {
                "role": code_label(p.role, PartnerRole.choices),
                "name": p.name,
                "credit_code": p.credit_code,
                "work_division": p.work_division,
            }
            for p in application.partners.all()
        ],
    }


# --- The applicant's own applications -----------------------------------------------------


def shown_state(code):
    """A state as the applicant may see it: the province's internal steps read 已推荐."""
    if not code:
        return None
    shown = Status.RECOMMENDED if code in PROVINCIAL_STAGES else code
    return code_label(shown, Status.choices)


def outcome(application, finalised) -> dict | None:
    """The final outcome, only once the call's list is final (as notices.view_outcome)."""
    notice = finalised.get(application.call_id)
    if notice is None or application.status not in {Status.SELECTED, Status.NOT_SELECTED}:
        return None
    decision = getattr(application, "notice_decision", None)
    return {
        "result": code_label(application.status, Status.choices),
        "tier": _tier(application),
        "reason": decision.reason if decision is not None else "",
        "finalised_at": notice.finalised_at,
        "notice_id": notice.pk,
    }


def my_application(application, finalised, *, detail=False) -> dict:
    application.outcome_final = application.call_id in finalised  # as on the applicant's pages
    result = {
        "id": application.pk,
        "call": call_ref(application.call),
        "name": application.name,
        "category": category(application.category),
        "status": code_label(application.status_shown_to_applicant, Status.choices),
        **_money(application),
        "created_at": application.created_at,
        "updated_at": application.updated_at,
        "submitted_at": application.submitted_at,
        "outcome": outcome(application, finalised),
    }
    if detail:
        result["history"] = [
            {
                "at": event.at,
                "actor": str(event.actor) if event.actor else "",
                "action": event.action,
                "action_label": str(action),
                "from_state": shown_state(event.from_state),
                "to_state": shown_state(event.to_state),
                "reason": event.reason if event.reason != "conflict" else "",
                "changed": str(changed or ""),
            }
            for event, action, _from, _to, changed in history_rows(application, for_applicant=True)
        ]
    return result


# --- Cases and tracking -------------------------------------------------------------------


def case(value, *, detail=False) -> dict:
    result = {
        "id": value.pk,
        "title": value.title,
        "summary": value.summary,
        "year": value.year,
        "category": category(value.category),
        "city": region_ref(value.city),
        "organisation": value.organisation.name,
        "technologies": value.technologies,
        "published_at": value.published_at,
        "url": reverse("cases:case", args=[value.pk]),
    }
    if detail:
        result.update(
            problem=value.problem,
            solution=value.solution,
            results=value.results,
            figures=[
                {"label": f.label, "value": f.value, "unit": f.unit} for f in value.figures.all()
            ],
            images=[
                {
                    "id": image.pk,
                    "caption": image.caption,
                    "width": image.width,
                    "height": image.height,
                    "url": reverse("cases:image", args=[image.pk]),
                }
                for image in value.images.all()
            ],
        )
    return result


def _grade(value):
    return code_label(value, Grade.choices)


def report(value, *, with_evaluation) -> dict:
    project_ = value.project
    comment = getattr(value, "comment", None)
    evaluation = getattr(value, "evaluation", None) if with_evaluation else None
    return {
        "id": value.pk,
        "round": {
            "id": value.round.pk,
            "title": value.round.title,
            "period": value.round.period,
            "due_on": value.round.due_on,
            "state": code_label(value.round.state, TrackingRound.State.choices),
        },
        "project": {
            "id": project_.pk,
            "year": project_.year,
            "name": project_.name,
            "applicant_name": project_.applicant_name,
            "credit_code": project_.credit_code,
            "category_name": project_.category_name,
            "city": region_ref(project_.city),
            "informatisation_investment": project_.informatisation_investment,
            "source": code_label(project_.source, TrackedProject.Source.choices),
            "application_id": project_.application_id,
        },
        "state": code_label(value.state, ProgressReport.State.choices),
        "investment_completed": value.investment_completed,
        "milestones": value.milestones,
        "users_and_results": value.users_and_results,
        "problems": value.problems,
        "late": value.late,
        "first_submitted_at": value.first_submitted_at,
        "submitted_at": value.submitted_at,
        "authority": named(value.authority),
        "comment": (
            {
                "authority": comment.authority.name,
                "text": comment.text,
                "written_at": comment.written_at,
            }
            if comment is not None
            else None
        ),
        "evaluation": (
            {
                "on_schedule": _grade(evaluation.on_schedule),
                "funds": _grade(evaluation.funds),
                "results": _grade(evaluation.results),
                "overall": _grade(evaluation.overall),
                "remark": evaluation.remark,
                "evaluated_at": evaluation.evaluated_at,
            }
            if evaluation is not None
            else None
        ),
    }
