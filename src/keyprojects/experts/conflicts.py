"""Conflicts of interest (回避): when an expert must not review an application.

Four rules, never waived:
1. the expert's organisation (credit code) is the applicant;
2. ... or a partner (开发单位 / 应用单位) of the application;
3. the expert's city is the applicant's city: the prefecture city (设区市) of the applicant
   organisation's seat, so an expert of 徐州市 never reviews a project from 沛县;
4. a declaration (ConflictDeclaration) by the expert or the office, naming the application
   or an organisation (credit code) that is the applicant or a partner.

The rules are pure functions over plain facts (`reasons`, `conflicted_pairs`), so the
solver, the benchmark and the tests use them without the ORM; `conflicts(expert,
application)` and `conflict_map(experts, applications)` read the facts from the database.
"""

import dataclasses
from collections import defaultdict

from django.utils.translation import gettext as _

from keyprojects.orgs.models import Region

from .models import ConflictDeclaration


@dataclasses.dataclass(frozen=True)
class ExpertFacts:
    id: str
    credit_code: str
    city: str  # region code of the expert's prefecture city
    categories: frozenset = frozenset()


@dataclasses.dataclass(frozen=True)
class ApplicationFacts:
    id: str
    category: str
    applicant_code: str
    partner_codes: frozenset = frozenset()
    city: str | None = None  # region code of the applicant's prefecture city, if any
    city_name: str = ""


@dataclasses.dataclass
class Declarations:
    """Declared conflicts, indexed: (expert, application) and (expert, credit code) → texts."""

    by_application: dict = dataclasses.field(default_factory=lambda: defaultdict(list))
    by_code: dict = dataclasses.field(default_factory=lambda: defaultdict(list))

    def add(self, expert_id, text, *, application_id=None, credit_code=""):
        if application_id is not None:
            self.by_application[(expert_id, application_id)].append(text)
        else:
            self.by_code[(expert_id, credit_code.upper())].append(text)


def reasons(expert: ExpertFacts, application: ApplicationFacts, declared=None) -> list[str]:
    """Why `expert` must not review `application`, in Chinese; empty if they may."""
    found = []
    code = expert.credit_code.upper()
    if code and code == application.applicant_code.upper():
        found.append(_("专家工作单位即申报单位"))
    if code and code in {c.upper() for c in application.partner_codes}:
        found.append(_("专家工作单位是该项目的合作单位"))
    if application.city and expert.city == application.city:
        found.append(
            _("专家与申报单位同属%(city)s") % {"city": application.city_name or application.city}
        )
    if declared is not None:
        found += declared.by_application.get((expert.id, application.id), [])
        for organisation in sorted({application.applicant_code, *application.partner_codes}):
            found += declared.by_code.get((expert.id, organisation.upper()), [])
    return found


def conflicted_pairs(experts, applications, declared=None) -> dict:
    """{(expert id, application id): reasons} for every conflicted pair, found through
    indexes (organisation, city, declarations) instead of trying every pair."""
    experts_by_code, experts_by_city = defaultdict(list), defaultdict(list)
    for expert in experts:
        if expert.credit_code:
            experts_by_code[expert.credit_code.upper()].append(expert)
        experts_by_city[expert.city].append(expert)
    by_id = {expert.id: expert for expert in experts}
    declared_codes, declared_applications = defaultdict(list), defaultdict(list)
    if declared is not None:
        for expert_id, code in declared.by_code:
            declared_codes[code].append(expert_id)
        for expert_id, application_id in declared.by_application:
            declared_applications[application_id].append(expert_id)

    result = {}
    for application in applications:
        codes = {c.upper() for c in {application.applicant_code, *application.partner_codes}}
        candidates = {e.id for code in codes for e in experts_by_code.get(code, [])}
        candidates |= {e for code in codes for e in declared_codes.get(code, [])}
        if application.city:
            candidates |= {e.id for e in experts_by_city.get(application.city, [])}
        candidates |= set(declared_applications.get(application.id, []))
        for expert_id in candidates:
            if expert_id not in by_id:
                continue
            found = reasons(by_id[expert_id], application, declared)
            if found:
                result[(expert_id, application.id)] = found
    return result


# --- Facts from the database -----------------------------------------------------------------


def prefecture_city(region) -> Region | None:
    """The 设区市 a region belongs to (itself for a city); None above or outside cities."""
    if region is None:
        return None
    if region.kind == Region.Kind.CITY:
        return region
    if region.is_county_level and region.parent and region.parent.kind == Region.Kind.CITY:
        return region.parent
    return None


def expert_facts(expert) -> ExpertFacts:
    return ExpertFacts(
        id=str(expert.pk),
        credit_code=expert.organisation_credit_code,
        city=expert.city_id,
        categories=frozenset(expert.category_codes),
    )


def application_facts(application) -> ApplicationFacts:
    """Needs organisation__seat__parent and category selected, partners prefetched."""
    city = prefecture_city(application.organisation.seat)
    return ApplicationFacts(
        id=str(application.pk),
        category=application.category.code if application.category else "",
        applicant_code=application.organisation.credit_code,
        partner_codes=frozenset(p.credit_code for p in application.partners.all()),
        city=city.code if city else None,
        city_name=city.name if city else "",
    )


def declaration_text(declaration) -> str:
    if declaration.source == ConflictDeclaration.Source.OFFICE:
        label = _("省信息化办指定回避")
    else:
        label = _("专家申报回避")
    if declaration.application_id is None:
        label += _("（%(name)s）") % {"name": declaration.organisation_name}
    return f"{label}：{declaration.reason}"


def declarations_of(experts) -> Declarations:
    declared = Declarations()
    rows = ConflictDeclaration.objects.filter(expert__in=[e.pk for e in experts]).order_by(
        "created_at", "pk"
    )
    for row in rows:
        declared.add(
            str(row.expert_id),
            declaration_text(row),
            application_id=str(row.application_id) if row.application_id else None,
            credit_code=row.organisation_credit_code,
        )
    return declared


def with_facts(applications):
    """The queryset with what application_facts() reads, in a fixed number of queries."""
    return applications.select_related("organisation__seat__parent", "category").prefetch_related(
        "partners"
    )


def conflicts(expert, application) -> list[str]:
    """Why `expert` must not review `application` (Chinese reasons); empty if they may."""
    application = with_facts(type(application).objects.filter(pk=application.pk)).get()
    return reasons(expert_facts(expert), application_facts(application), declarations_of([expert]))


def conflict_map(experts, applications) -> dict:
    """Bulk form for the solver: {(expert id, application id): reasons} of conflicted pairs."""
    experts = list(experts)
    return conflicted_pairs(
        [expert_facts(e) for e in experts],
        [application_facts(a) for a in applications],
        declarations_of(experts),
    )
