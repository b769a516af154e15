"""From expert scores to a ranking per category.

The first half is pure functions over plain data (Decimal totals keyed by any hashable
application, expert and category), tested against values computed by hand. The second
half reads a call's scores from the database and is the interface other apps use:

    ranking(call, *, normalise=False) -> list[RankedApplication]

Rules (docs/user-guide-office.md explains them to the office):
- score = trimmed mean of the submitted totals: with 5 or more scores the single highest
  and the single lowest are dropped; with fewer, the plain mean;
- normalisation (optional) for severity: each expert's totals become z-scores over all
  that expert's submitted totals in the round, mapped back onto the scale with the mean
  and standard deviation of all totals in the round (clamped to the scale). An expert
  with fewer than 2 totals is left as given (no basis to judge severity); one who gave
  the same total everywhere maps to the round's mean;
- ranks per category over the score rounded to two decimals; equal scores share a rank
  (1, 1, 3); the display order inside a tie is higher median, then more scores, then name;
- spread (min, max, population standard deviation) and outliers are computed on the
  totals as the experts gave them. A score is an outlier when it lies more than 2 standard
  deviations from the mean of the *other* experts' totals for that application (at least
  three others; their sample SD, floored at 2 % of the scale). Measured against a mean and
  SD that include the score itself, a single score can never be more than √(n−1) SD away,
  i.e. never more than 2 SD with 5 experts; hence the leave-one-out. An expert deviates
  strongly when, over at least 2 applications, their totals differ from the other
  experts' mean by 10 % of the scale or more on average.
"""

import dataclasses
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from . import queries
from .models import ReviewRound, Score
from .rubric import rubric_for, scale

CENT = Decimal("0.01")
TRIM_FROM = 5
OUTLIER_SD = Decimal(2)
MIN_OTHERS_FOR_OUTLIER = 3
SD_FLOOR_SHARE = Decimal("0.02")
EXPERT_DEVIATION_SHARE = Decimal("0.10")
MIN_SCORES_PER_EXPERT = 2


def cents(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(CENT, rounding=ROUND_HALF_UP)


def mean(values: Sequence[Decimal]) -> Decimal:
    return sum(values, Decimal(0)) / len(values)


def pstdev(values: Sequence[Decimal]) -> Decimal:
    """Population standard deviation."""
    centre = mean(values)
    return (sum(((v - centre) ** 2 for v in values), Decimal(0)) / len(values)).sqrt()


def stdev(values: Sequence[Decimal]) -> Decimal:
    """Sample standard deviation (n − 1): the spread estimated from a few scores."""
    centre = mean(values)
    return (sum(((v - centre) ** 2 for v in values), Decimal(0)) / (len(values) - 1)).sqrt()


def median(values: Sequence[Decimal]) -> Decimal:
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def trimmed_mean(values: Sequence[Decimal]) -> Decimal | None:
    """Drop the single highest and single lowest when there are at least 5 values."""
    if not values:
        return None
    ordered = sorted(values)
    if len(ordered) >= TRIM_FROM:
        ordered = ordered[1:-1]
    return mean(ordered)


@dataclasses.dataclass(frozen=True)
class ScoreItem:
    application: Hashable
    expert: Hashable
    total: Decimal


@dataclasses.dataclass(frozen=True)
class Candidate:
    """An application to rank: its category and how many experts were assigned to it."""

    application: Hashable
    category: Hashable
    name: str
    assigned_count: int


@dataclasses.dataclass(frozen=True)
class Result:
    application: Hashable
    category: Hashable
    name: str
    score: Decimal | None
    rank: int | None
    scores_count: int
    assigned_count: int
    minimum: Decimal | None
    maximum: Decimal | None
    sd: Decimal | None
    median: Decimal | None
    tie_note: str
    outlier_notes: tuple[str, ...]


@dataclasses.dataclass(frozen=True)
class ExpertDeviation:
    expert: Hashable
    compared: int  # applications on which the expert had colleagues to compare with
    mean_deviation: Decimal  # average of (own total − the others' mean), two decimals
    strong: bool


def normalise(scores: Iterable[ScoreItem], low: Decimal, high: Decimal) -> list[ScoreItem]:
    """Severity normalisation by z-scores per expert, mapped back onto [low, high]."""
    scores = list(scores)
    if not scores:
        return []
    totals = [s.total for s in scores]
    centre, spread = mean(totals), pstdev(totals)
    by_expert = defaultdict(list)
    for s in scores:
        by_expert[s.expert].append(s.total)
    result = []
    for s in scores:
        own = by_expert[s.expert]
        if len(own) < MIN_SCORES_PER_EXPERT:
            result.append(s)
            continue
        own_sd = pstdev(own)
        z = (s.total - mean(own)) / own_sd if own_sd else Decimal(0)
        mapped = min(max(centre + z * spread, low), high)
        result.append(dataclasses.replace(s, total=mapped))
    return result


def _others(scores_of_application: list[ScoreItem], item: ScoreItem) -> list[Decimal]:
    return [s.total for s in scores_of_application if s is not item]


def score_outliers(
    scores: Iterable[ScoreItem], low: Decimal, high: Decimal
) -> list[tuple[ScoreItem, Decimal, Decimal]]:
    """(score, the others' mean, the others' SD) for each score far from the others."""
    by_application = defaultdict(list)
    for s in scores:
        by_application[s.application].append(s)
    floor = (high - low) * SD_FLOOR_SHARE
    found = []
    for group in by_application.values():
        for item in group:
            others = _others(group, item)
            if len(others) < MIN_OTHERS_FOR_OUTLIER:
                continue
            centre, spread = mean(others), stdev(others)
            if abs(item.total - centre) > OUTLIER_SD * max(spread, floor):
                found.append((item, centre, spread))
    return found


def expert_deviations(
    scores: Iterable[ScoreItem], low: Decimal, high: Decimal
) -> list[ExpertDeviation]:
    """How far each expert's totals lie from their colleagues' on the same applications."""
    by_application = defaultdict(list)
    for s in scores:
        by_application[s.application].append(s)
    differences = defaultdict(list)
    for group in by_application.values():
        for item in group:
            others = _others(group, item)
            if others:
                differences[item.expert].append(item.total - mean(others))
    threshold = (high - low) * EXPERT_DEVIATION_SHARE
    result = []
    for expert, values in differences.items():
        deviation = mean(values)
        strong = len(values) >= MIN_SCORES_PER_EXPERT and abs(deviation) >= threshold
        result.append(ExpertDeviation(expert, len(values), cents(deviation), strong))
    return sorted(result, key=lambda d: -abs(d.mean_deviation))


def _tie_note(row: dict, group: list[dict]) -> str:
    others = "、".join(f"《{r['name']}》" for r in group if r is not row)
    keys = [_("中位数（高者在前）")]
    if len({r["median"] for r in group}) < len(group):
        keys.append(_("有效评分份数（多者在前）"))
        if len({(r["median"], r["count"]) for r in group}) < len(group):
            keys.append(_("项目名称"))
    return _(
        "与%(others)s同为 %(score)s 分，并列第 %(rank)d 名；页面上依次按%(keys)s排列"
        "（本项目中位数 %(median)s，有效评分 %(count)d 份）。"
    ) % {
        "others": others,
        "score": row["score"],
        "rank": row["rank"],
        "keys": "、".join(str(k) for k in keys),
        "median": row["median"],
        "count": row["count"],
    }


def _rank_category(rows: list[dict]) -> list[dict]:
    """Order one category's rows, give competition ranks and explain ties."""
    scored = sorted(
        (r for r in rows if r["score"] is not None),
        key=lambda r: (-r["score"], -r["median"], -r["count"], r["name"]),
    )
    for position, row in enumerate(scored, start=1):
        previous = scored[position - 2] if position > 1 else None
        tied = previous is not None and previous["score"] == row["score"]
        row["rank"] = previous["rank"] if tied else position
    groups = defaultdict(list)
    for row in scored:
        groups[row["score"]].append(row)
    for group in groups.values():
        if len(group) > 1:
            for row in group:
                row["tie_note"] = _tie_note(row, group)
    unscored = sorted((r for r in rows if r["score"] is None), key=lambda r: r["name"])
    return scored + unscored


def _outlier_notes(scores, deviations, low, high, label) -> dict:
    """{application: [note, ...]} for the office: far-off scores and strongly severe or
    lenient experts (noted on every application they scored)."""
    notes = defaultdict(list)
    for item, centre, spread in score_outliers(scores, low, high):
        notes[item.application].append(
            _(
                "%(expert)s 的评分 %(total)s 偏离其他专家的平均分 %(mean)s "
                "超过 2 个标准差（其他专家的标准差 %(sd)s）。"
            )
            % {
                "expert": label(item.expert),
                "total": cents(item.total),
                "mean": cents(centre),
                "sd": cents(spread),
            }
        )
    strong = {d.expert: d for d in deviations if d.strong}
    for s in scores:
        if s.expert in strong:
            d = strong[s.expert]
            direction = _("偏高") if d.mean_deviation > 0 else _("偏低")
            notes[s.application].append(
                _(
                    "评分专家 %(expert)s 整体%(direction)s："
                    "平均比同项目其他专家%(direction)s %(d)s 分。"
                )
                % {"expert": label(s.expert), "direction": direction, "d": abs(d.mean_deviation)}
            )
    return notes


def _result(row: dict, notes: dict) -> Result:
    c, given = row["candidate"], row["given"]
    return Result(
        application=c.application,
        category=c.category,
        name=c.name,
        score=row["score"],
        rank=row["rank"],
        scores_count=row["count"],
        assigned_count=c.assigned_count,
        minimum=cents(min(given)) if given else None,
        maximum=cents(max(given)) if given else None,
        sd=cents(pstdev(given)) if given else None,
        median=row["median"],
        tie_note=row["tie_note"],
        outlier_notes=tuple(notes.get(c.application, ())),
    )


def aggregate(
    candidates: Iterable[Candidate],
    scores: Iterable[ScoreItem],
    *,
    low: Decimal = Decimal(0),
    high: Decimal = Decimal(100),
    normalised: bool = False,
    label: Callable[[Hashable], str] = str,
) -> tuple[list[Result], list[ExpertDeviation]]:
    """Rank the candidates per category (categories in the order they first appear)."""
    scores = list(scores)
    used = normalise(scores, low, high) if normalised else scores
    raw, counted = defaultdict(list), defaultdict(list)
    for s in scores:
        raw[s.application].append(s.total)
    for s in used:
        counted[s.application].append(s.total)
    deviations = expert_deviations(scores, low, high)
    notes = _outlier_notes(scores, deviations, low, high, label)
    categories: dict[Hashable, list[dict]] = {}
    for c in candidates:
        values = counted.get(c.application, [])
        categories.setdefault(c.category, []).append(
            {
                "candidate": c,
                "name": c.name,
                "score": cents(trimmed_mean(values)),
                "median": cents(median(values)) if values else None,
                "count": len(values),
                "given": raw.get(c.application, []),
                "rank": None,
                "tie_note": "",
            }
        )
    results = [_result(row, notes) for rows in categories.values() for row in _rank_category(rows)]
    return results, deviations


# --- The database side ------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class RankedApplication:
    """One application's place in its category; `spread` is the population standard
    deviation of its experts' totals. `outlier_notes` name experts: for the office only."""

    application: object  # applications.models.Application
    category: object  # calls.models.Category
    score: Decimal | None
    rank: int | None
    scores_count: int
    assigned_count: int
    spread: Decimal | None
    tie_note: str
    outlier_notes: list[str]


def ranking_round(call):
    """The round a call's ranking comes from: the latest (by order) with submitted scores."""
    submitted = Score.objects.filter(round=OuterRef("pk"), state=Score.State.SUBMITTED)
    return (
        ReviewRound.objects.filter(call=call).filter(Exists(submitted)).order_by("-order").first()
    )


@dataclasses.dataclass(frozen=True)
class RoundResults:
    round: object  # ReviewRound or None (no round has scores yet)
    rows: list[Result]  # Result.application is an Application, .category a Category
    experts: list[ExpertDeviation]  # ExpertDeviation.expert is an Expert


def round_results(call, round_, *, normalise: bool = False) -> RoundResults:
    """Aggregate the submitted scores of `round_` (None: the assignment, no scores yet)."""
    candidates = [
        Candidate(application, application.category, application.name, assigned)
        for application, assigned in queries.population(call, round_)
    ]
    submitted = (
        Score.objects.filter(round=round_, state=Score.State.SUBMITTED).select_related("expert")
        if round_ is not None
        else Score.objects.none()
    )
    by_pk = {c.application.pk: c.application for c in candidates}
    scores = [
        ScoreItem(by_pk[s.application_id], s.expert, s.total)
        for s in submitted
        if s.application_id in by_pk
    ]
    rubric = round_.rubric if round_ is not None and round_.rubric else rubric_for(call)
    low, high = scale(rubric)
    rows, experts = aggregate(
        candidates, scores, low=low, high=high, normalised=normalise, label=lambda e: e.name
    )
    return RoundResults(round_, rows, experts)


def ranking(call, *, normalise: bool = False) -> list[RankedApplication]:
    """The call's ranking per category, from ranking_round(call); categories in their
    configured order, unscored applications last in their category."""
    results = round_results(call, ranking_round(call), normalise=normalise)
    return [
        RankedApplication(
            application=r.application,
            category=r.category,
            score=r.score,
            rank=r.rank,
            scores_count=r.scores_count,
            assigned_count=r.assigned_count,
            spread=r.sd,
            tie_note=r.tie_note,
            outlier_notes=list(r.outlier_notes),
        )
        for r in results.rows
    ]
