"""Who is expected to score what in a round, what an expert has to do, and progress.

"Assigned" depends on the round: in the online round (网评) it is the call's expert
assignment (experts.Assignment); in the defence round (答辩评审) it is the panel of the
application's slot; the combined meeting (综合会审) scores nothing.
"""

import dataclasses
from collections import defaultdict

from keyprojects.applications.models import Application
from keyprojects.core.clock import now
from keyprojects.experts.models import Assignment, Expert

from .models import DefenceSlot, ReviewRound, RoundEntry, Score

Kind = ReviewRound.Kind


def assigned_pairs(call, round_) -> dict:
    """{application pk: {expert pk, ...}} expected to score in `round_` (None: online)."""
    kind = round_.kind if round_ is not None else Kind.ONLINE
    if kind == Kind.ONLINE:
        rows = Assignment.objects.filter(application__call=call).values_list(
            "application_id", "expert_id"
        )
    elif kind == Kind.DEFENCE:
        rows = DefenceSlot.objects.filter(round=round_).values_list(
            "application_id", "panel__experts"
        )
    else:
        rows = []
    pairs = defaultdict(set)
    for application_id, expert_id in rows:
        experts = pairs.setdefault(application_id, set())  # a slot may have no panel yet
        if expert_id is not None:
            experts.add(expert_id)
    return pairs


def population(call, round_) -> list[tuple[Application, int]]:
    """The applications a round ranks, with how many experts are assigned to each."""
    pairs = assigned_pairs(call, round_)
    ids = set(pairs)
    if round_ is not None:
        ids |= set(
            Score.objects.filter(round=round_, state=Score.State.SUBMITTED).values_list(
                "application_id", flat=True
            )
        )
        ids |= set(RoundEntry.objects.filter(round=round_).values_list("application_id", flat=True))
    applications = (
        Application.objects.filter(call=call, pk__in=ids)
        .select_related("category", "organisation")
        .order_by("category__order", "category_id", "name")
    )
    return [(a, len(pairs.get(a.pk, ()))) for a in applications]


def is_assigned(expert, round_, application) -> bool:
    if expert is None or round_.call_id != application.call_id:
        return False
    if round_.kind == Kind.ONLINE:
        return Assignment.objects.filter(expert=expert, application=application).exists()
    if round_.kind == Kind.DEFENCE:
        return DefenceSlot.objects.filter(
            round=round_, application=application, panel__experts=expert
        ).exists()
    return False


@dataclasses.dataclass
class Task:
    round: ReviewRound
    application: Application
    score: Score | None
    slot: DefenceSlot | None = None


def expert_tasks(expert) -> list[Task]:
    """Everything an expert scores or scored, in rounds that have started."""
    rounds = ReviewRound.objects.filter(
        state__in=[ReviewRound.State.OPEN, ReviewRound.State.CLOSED],
        kind__in=[Kind.ONLINE, Kind.DEFENCE],
    ).select_related("call")
    scores = {(s.round_id, s.application_id): s for s in Score.objects.filter(expert=expert)}
    online_calls = {r.call_id: r for r in rounds if r.kind == Kind.ONLINE}
    defence = {r.pk: r for r in rounds if r.kind == Kind.DEFENCE}
    tasks = []
    assignments = Assignment.objects.filter(
        expert=expert, application__call__in=list(online_calls)
    ).select_related("application__category")
    for assignment in assignments:
        round_ = online_calls[assignment.application.call_id]
        application = assignment.application
        tasks.append(Task(round_, application, scores.get((round_.pk, application.pk))))
    slots = DefenceSlot.objects.filter(
        round__in=list(defence), panel__experts=expert
    ).select_related("application__category", "panel")
    for slot in slots:
        round_ = defence[slot.round_id]
        tasks.append(
            Task(round_, slot.application, scores.get((round_.pk, slot.application_id)), slot)
        )
    return sorted(tasks, key=lambda t: (t.round.call.year, t.round.order, t.application.name))


@dataclasses.dataclass
class ApplicationProgress:
    application: Application
    submitted: int
    assigned: int
    missing: list  # experts assigned who have not submitted
    scores: list  # (expert, state, score pk) for the office's links


@dataclasses.dataclass
class ExpertProgress:
    expert: Expert
    done: int
    drafts: int
    assigned: int
    late: bool


def progress(round_, at=None) -> tuple[list[ApplicationProgress], list[ExpertProgress]]:
    """Scores submitted / assigned per application, and done / assigned per expert."""
    pairs = assigned_pairs(round_.call, round_)
    states = {
        (s["application_id"], s["expert_id"]): (s["state"], s["pk"])
        for s in Score.objects.filter(round=round_).values(
            "pk", "application_id", "expert_id", "state"
        )
    }
    expert_ids = set().union(*pairs.values()) if pairs else set()
    experts = {e.pk: e for e in Expert.objects.filter(pk__in=expert_ids)}
    applications = Application.objects.filter(pk__in=list(pairs)).select_related("category")
    per_application = []
    per_expert = defaultdict(lambda: {"done": 0, "drafts": 0, "assigned": 0})
    for application in applications.order_by("category__order", "category_id", "name"):
        missing, scores = [], []
        for expert_id in pairs[application.pk]:
            state, score_pk = states.get((application.pk, expert_id), (None, None))
            if score_pk is not None:
                scores.append((experts[expert_id], state, score_pk))
            counts = per_expert[expert_id]
            counts["assigned"] += 1
            if state == Score.State.SUBMITTED:
                counts["done"] += 1
            else:
                counts["drafts"] += state == Score.State.DRAFT
                missing.append(experts[expert_id])
        submitted = len(pairs[application.pk]) - len(missing)
        missing.sort(key=lambda e: e.name)
        scores.sort(key=lambda row: row[0].name)
        per_application.append(
            ApplicationProgress(application, submitted, len(pairs[application.pk]), missing, scores)
        )
    overdue = round_.deadline is not None and (at or now()) >= round_.deadline
    per_expert_rows = [
        ExpertProgress(
            experts[pk],
            c["done"],
            c["drafts"],
            c["assigned"],
            overdue and c["done"] < c["assigned"],
        )
        for pk, c in per_expert.items()
    ]
    per_expert_rows.sort(key=lambda p: (p.done >= p.assigned, p.expert.name))
    return per_application, per_expert_rows


def applicant_slots(user):
    """The defence slots of the user's organisation."""
    if not user.is_authenticated or user.organisation_id is None:
        return DefenceSlot.objects.none()
    return DefenceSlot.objects.filter(
        application__organisation_id=user.organisation_id
    ).select_related("application__category", "panel", "round__call")
