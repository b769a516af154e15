"""Computing a call's suspected duplicates in the background and keeping the office's
rulings across computations."""

import datetime as dt
import time

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from keyprojects.applications.workflow import RECOMMENDED_ONWARDS
from keyprojects.audit.domain import record
from keyprojects.core.clock import now
from keyprojects.tracking.queries import earlier_key_projects

from . import similarity, tasks
from .domain import CheckRefused
from .models import SimilarityRun, SimilarPair

# A run still pending or running after this long is taken as lost (worker stopped).
STALE_AFTER = dt.timedelta(minutes=30)


def application_document(application) -> similarity.Document:
    parties = {application.organisation.credit_code}
    parties.update(p.credit_code for p in application.partners.all())
    text = "\n".join(
        part
        for part in [application.name, application.summary, application.construction_content]
        if part
    )
    return similarity.Document(
        key=f"a:{application.pk}",
        name=application.name,
        text=text,
        parties=frozenset(c for c in parties if c),
    )


def past_document(project) -> similarity.Document:
    return similarity.Document(
        key=f"p:{project.pk}",
        name=project.name,
        text=f"{project.name}\n{project.content}",
        parties=frozenset({project.applicant_credit_code} - {""}),
        past=True,
    )


def documents_for(call) -> list[similarity.Document]:
    """The call's recommended applications and the key projects of earlier years (the
    tracked projects: imported from before the platform, or selected on it)."""
    applications = (
        call.applications.filter(status__in=RECOMMENDED_ONWARDS)
        .select_related("organisation")
        .prefetch_related("partners")
        .order_by("pk")
    )
    past = earlier_key_projects(call.year)
    return [application_document(a) for a in applications] + [past_document(p) for p in past]


def running(call):
    return SimilarityRun.objects.filter(
        call=call,
        state__in=[SimilarityRun.State.PENDING, SimilarityRun.State.RUNNING],
        requested_at__gt=now() - STALE_AFTER,
    ).first()


def start_run(call, *, by, at=None) -> SimilarityRun:
    """Queue a computation of the call's index; one at a time per call."""
    with transaction.atomic():
        if running(call) is not None:
            raise CheckRefused(_("相似度正在计算中，请稍候刷新页面查看结果。"))
        run = SimilarityRun.objects.create(call=call, requested_by=by, requested_at=at or now())
        record(run, "request", actor=by, to_state=run.state, data={"call": call.slug})
        # Enqueued in the same transaction: the run and its task exist together.
        tasks.compute_similarity.enqueue(str(run.pk))
    return run


def compute(run: SimilarityRun) -> SimilarityRun:
    """Find the call's suspected pairs and store them (called by the task)."""
    SimilarityRun.objects.filter(pk=run.pk).update(state=SimilarityRun.State.RUNNING)
    started = time.perf_counter()
    documents = documents_for(run.call)
    matches = similarity.find_pairs(documents)
    with transaction.atomic():
        store(run.call, matches)
        run.state = SimilarityRun.State.DONE
        run.documents, run.pairs = len(documents), len(matches)
        run.finished_at = now()
        run.seconds = round(time.perf_counter() - started, 3)
        run.save()
        record(
            run,
            "compute",
            from_state=SimilarityRun.State.RUNNING,
            to_state=run.state,
            data={"documents": run.documents, "pairs": run.pairs, "seconds": run.seconds},
        )
    return run


def _sides(match):
    other_application = past_project = None
    kind, pk = match.right.key.split(":", 1)
    if kind == "a":
        other_application = pk
    else:
        past_project = pk
    return match.left.key.split(":", 1)[1], other_application, past_project


SCORE_FIELDS = [
    "estimated_jaccard",
    "jaccard",
    "name_jaccard",
    "shared_parties",
    "continuation",
    "continuation_terms",
    "passages",
    "current",
]


def store(call, matches):
    """Replace the call's pairs by `matches`, keeping the office's rulings: a ruled pair
    found again keeps its ruling; one not found again stays, marked as no longer found."""
    existing = {
        (str(p.application_id), _str(p.other_application_id), _str(p.past_project_id)): p
        for p in SimilarPair.objects.filter(call=call)
    }
    found_at = now()
    created, updated = [], []
    for match in matches:
        key = _sides(match)
        values = {
            "estimated_jaccard": round(match.estimated, 4),
            "jaccard": round(match.jaccard, 4),
            "name_jaccard": round(match.name_jaccard, 4),
            "shared_parties": sorted(match.shared_parties),
            "continuation": match.continuation,
            "continuation_terms": list(match.terms),
            "passages": similarity.matching_passages(match.left.text, match.right.text),
            "current": True,
        }
        pair = existing.pop(key, None)
        if pair is None:
            created.append(
                SimilarPair(
                    call=call,
                    application_id=key[0],
                    other_application_id=key[1],
                    past_project_id=key[2],
                    found_at=found_at,
                    **values,
                )
            )
        else:
            for name, value in values.items():
                setattr(pair, name, value)
            updated.append(pair)
    SimilarPair.objects.bulk_create(created)
    SimilarPair.objects.bulk_update(updated, SCORE_FIELDS)
    gone = list(existing.values())
    SimilarPair.objects.filter(pk__in=[p.pk for p in gone if not p.verdict]).delete()
    SimilarPair.objects.filter(pk__in=[p.pk for p in gone if p.verdict]).update(current=False)


def _str(value):
    return str(value) if value is not None else None
