"""The pre-check beside the application form: what a submit would refuse, by section.

It only sorts the answer of domain.submit_problems(), the very function submit() runs, into
the form's sections; it decides nothing itself. So the panel cannot say "ready" while a
submit would be refused, nor the other way round (tests/applications/test_precheck.py).
"""

import dataclasses

from django.utils.translation import gettext_lazy as _

from . import domain


@dataclasses.dataclass(frozen=True)
class Section:
    key: str  # the HTML anchor is "section-<key>"
    title: str
    fields: tuple = ()


# The paper form's sections, in its order (the form and the printed 申报书 follow them).
FORM_SECTIONS = (
    Section(
        "project",
        _("一、项目基本情况"),
        (
            "name",
            "category",
            "summary",
            "construction_content",
            "innovation",
            "technologies",
            "technologies_other",
            "core_technology",
            "domestic_products",
            "security_level",
            "security_protection",
            "in_it_plan",
            "it_plan_name",
            "approval_document_no",
            "management_systems",
        ),
    ),
    Section(
        "results",
        _("二、应用成效与推广前景"),
        (
            "problems_solved",
            "users_served",
            "economic_benefit",
            "social_benefit",
            "promotion_prospects",
        ),
    ),
    Section(
        "money",
        _("三、投资与建设周期"),
        (
            "total_investment",
            "civil_works_investment",
            "funding_sources",
            "investment_completed",
            "start_month",
            "planned_completion_month",
        ),
    ),
    Section("contact", _("四、项目联系人"), ("contact_name", "contact_phone", "contact_email")),
    Section(
        "cooperation",
        _("五、合作建设"),
        ("is_cooperative", "applicant_role", "ownership_statement"),
    ),
    Section("declaration", _("六、声明"), ("declares_whole_project", "declares_truthful")),
)
# The call's own extra items, shown before the declaration when the call has any.
EXTRAS = Section("extras", _("附加填报项"))
ATTACHMENTS = Section("attachments", _("附件"))
ORGANISATION = Section("organisation", _("申报单位"))

DONE, WARNING, MISSING = "done", "warning", "missing"


@dataclasses.dataclass(frozen=True)
class SectionStatus:
    section: Section
    problems: tuple  # of (Problem, link within the edit page, or "")

    @property
    def key(self):
        return self.section.key

    @property
    def in_page(self):
        """The edit page has this section (and its mark); the organisation's standing is
        only in the pre-check panel."""
        return self.key != ORGANISATION.key

    @property
    def anchor(self):
        if not self.in_page:
            return ""
        return "#attachments" if self.key == ATTACHMENTS.key else f"#section-{self.key}"

    @property
    def errors(self):
        return sum(p.severity == domain.ERROR for p, _link in self.problems)

    @property
    def warnings(self):
        return len(self.problems) - self.errors

    @property
    def state(self):
        if self.errors:
            return MISSING
        return WARNING if self.warnings else DONE


@dataclasses.dataclass(frozen=True)
class Report:
    sections: list

    @property
    def ready(self):
        """A submit would go through (warnings do not block it)."""
        return not any(s.errors for s in self.sections)

    @property
    def errors(self):
        return sum(s.errors for s in self.sections)

    def __getitem__(self, key):
        """The status of section `key` (templates: precheck.attachments)."""
        for status in self.sections:
            if status.key == key:
                return status
        raise KeyError(key)  # templates then look for an attribute of that name


def sections_of(call):
    """The sections of `call`'s form, in the order the pre-check lists them."""
    sections = list(FORM_SECTIONS)
    if call.form_extras:
        sections.insert(-1, EXTRAS)
    return [*sections, ATTACHMENTS, ORGANISATION]


def report(application, problems=None) -> Report:
    """The pre-check of `application`; `problems` are domain.submit_problems() if known."""
    if problems is None:
        problems = domain.submit_problems(application)
    sections = sections_of(application.call)
    by_key = {s.key: [] for s in sections}
    for problem in problems:
        key = section_key(problem.field)
        by_key[key if key in by_key else ORGANISATION.key].append((problem, link(problem.field)))
    return Report([SectionStatus(s, tuple(by_key[s.key])) for s in sections])


def section_key(field):
    if field and field.startswith("extra_"):
        return EXTRAS.key
    if field == "partners":
        return "cooperation"
    if field == ATTACHMENTS.key:
        return ATTACHMENTS.key
    return next((s.key for s in FORM_SECTIONS if field in s.fields), ORGANISATION.key)


def link(field):
    """Where on the edit page the user fixes it: the field itself, or the block it is in."""
    if field in {"partners", ATTACHMENTS.key}:
        return f"#{field}"
    if field and (field.startswith("extra_") or section_key(field) != ORGANISATION.key):
        return f"#id_{field}"
    return ""
