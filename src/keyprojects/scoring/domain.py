"""Review rounds and scores: the only code that writes their state.

Rounds go planned → open → closed (the office may reopen a closed round with a reason).
A score is saved as a draft any number of times, each save naming the version it was
based on (a stale save is refused and changes nothing), then submitted, which locks it;
the office may reopen a submitted score with a reason. Every change is an audit event
on the round or the score, never on the application: the applicant's history of its
application must not show who the experts are.
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from keyprojects.audit.domain import record
from keyprojects.core.clock import china_time, now
from keyprojects.notifications.domain import notify

from . import queries
from .models import ReviewRound, Score
from .rubric import rubric_for
from .rubric import total as rubric_total

State = ReviewRound.State


class ScoringRefused(Exception):
    """Refused with a message for the user, in Chinese."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = str(message)


class StaleScore(ScoringRefused):
    def __init__(self, score, by):
        if score is None:
            message = _(
                "这份评分刚刚已在另一个窗口或设备上保存过。为避免覆盖，本次保存未执行；"
                "您填写的内容仍在下方，请复制后刷新页面核对再保存。"
            )
        else:
            message = _(
                "这份评分已于 %(when)s 由%(who)s保存过新的版本（可能在另一个窗口或设备上）。"
                "为避免覆盖，本次保存未执行；您填写的内容仍在下方，请复制后刷新页面核对再保存。"
            ) % {
                "when": f"{china_time(score.saved_at):%Y-%m-%d %H:%M:%S}",
                "who": _saver(score, by),
            }
        super().__init__(message)


def _saver(score, by):
    if score.saved_by_id == by.pk:
        return _("您本人")
    if score.expert.user_id == score.saved_by_id:
        return _("评审专家本人")
    return _("省信息化办工作人员")


class ScoreLocked(ScoringRefused):
    def __init__(self, score):
        super().__init__(
            _("这份评分已于 %(when)s 提交，已锁定；如需修改，请联系省信息化办退回。")
            % {"when": f"{china_time(score.submitted_at):%Y-%m-%d %H:%M}"}
        )


# --- Rounds -----------------------------------------------------------------------------


def create_round(call, *, kind, order, deadline=None, by, at=None) -> ReviewRound:
    label = ReviewRound.Kind(kind).label
    with transaction.atomic():
        if ReviewRound.objects.filter(call=call, kind=kind).exists():
            raise ScoringRefused(_("本批次已有“%(kind)s”轮次。") % {"kind": label})
        if ReviewRound.objects.filter(call=call, order=order).exists():
            raise ScoringRefused(
                _("顺序 %(order)d 已有其他轮次，请换一个顺序号。") % {"order": order}
            )
        round_ = ReviewRound.objects.create(
            call=call,
            kind=kind,
            order=order,
            deadline=deadline,
            created_by=by,
            created_at=at or now(),
        )
        record(
            round_, "create", actor=by, to_state=round_.state, data={"kind": kind, "order": order}
        )
    return round_


ROUND_ACTIONS = {
    "open": ({State.PLANNED}, State.OPEN, _("开始")),
    "close": ({State.OPEN}, State.CLOSED, _("结束")),
    "reopen": ({State.CLOSED}, State.OPEN, _("重新开启")),
}


def change_round(round_, action, *, by, reason="", at=None) -> ReviewRound:
    """Open, close or reopen a round (reopening needs a reason)."""
    sources, target, label = ROUND_ACTIONS[action]
    at = at or now()
    with transaction.atomic():
        locked = ReviewRound.objects.select_for_update().select_related("call").get(pk=round_.pk)
        if locked.state not in sources:
            raise ScoringRefused(
                _("本轮当前为“%(state)s”，不能%(action)s。")
                % {"state": locked.get_state_display(), "action": label}
            )
        if action == "reopen" and not reason.strip():
            raise ScoringRefused(_("请填写重新开启本轮评审的理由。"))
        others = ReviewRound.objects.filter(call=locked.call).exclude(pk=locked.pk)
        if action == "open":
            unfinished = others.filter(order__lt=locked.order).exclude(state=State.CLOSED)
            if unfinished.exists():
                raise ScoringRefused(
                    _("请先结束前面的轮次：%(rounds)s。")
                    % {"rounds": "、".join(r.get_kind_display() for r in unfinished)}
                )
            if locked.is_scored and not locked.rubric:
                try:  # the rubric is fixed when scoring starts
                    locked.rubric = rubric_for(locked.call)
                except ValidationError as error:
                    raise ScoringRefused(" ".join(error.messages)) from None
            locked.opened_at = at
        if action == "reopen":
            started = others.filter(order__gt=locked.order).exclude(state=State.PLANNED)
            if started.exists():
                raise ScoringRefused(_("后续轮次已经开始，不能重新开启本轮。"))
        if target == State.CLOSED:
            locked.closed_at = at
        from_state, locked.state = locked.state, target
        locked.updated_by, locked.updated_at = by, at
        locked.save()
        record(locked, action, actor=by, from_state=from_state, to_state=target, reason=reason)
    return locked


def set_deadline(round_, deadline, *, by):
    with transaction.atomic():
        before = round_.deadline
        ReviewRound.objects.filter(pk=round_.pk).update(deadline=deadline)
        round_.deadline = deadline
        record(
            round_,
            "set_deadline",
            actor=by,
            data={
                "from": before.isoformat() if before else "",
                "to": deadline.isoformat() if deadline else "",
            },
        )
    return round_


# --- Scores -----------------------------------------------------------------------------


def find_score(round_, expert, application) -> Score | None:
    return Score.objects.filter(round=round_, expert=expert, application=application).first()


def save_score(
    round_,
    application,
    expert,
    *,
    items: dict,
    comments: dict,
    opinion: str,
    by,
    expected_version: int,
    submit: bool = False,
    paper: bool = False,
    at=None,
) -> Score:
    """Save (or submit) an expert's score; `items` maps criterion codes to Decimal or None.

    `paper`: the office's secretary types in the expert's signed paper sheet; the score is
    the expert's, recorded as entered by the secretary.
    """
    at = at or now()
    with transaction.atomic():
        locked_round = ReviewRound.objects.select_for_update().get(pk=round_.pk)
        if locked_round.state != State.OPEN or not locked_round.is_scored:
            raise ScoringRefused(
                _("本轮评审当前为“%(state)s”，不能保存评分。")
                % {"state": locked_round.get_state_display()}
            )
        if not queries.is_assigned(expert, locked_round, application):
            raise PermissionDenied
        score = (
            Score.objects.select_for_update()
            .filter(round=locked_round, expert=expert, application=application)
            .first()
        )
        if score is not None and score.is_submitted:
            raise ScoreLocked(score)
        if (score.version if score else 0) != expected_version:
            raise StaleScore(score, by)
        rubric = locked_round.rubric
        values = {c["code"]: items.get(c["code"]) for c in rubric}
        if submit:
            _ensure_complete(rubric, values, opinion)
        fields = {
            "items": {code: f"{v:.2f}" for code, v in values.items() if v is not None},
            "comments": {code: text for code, text in comments.items() if text.strip()},
            "opinion": opinion,
            "source": Score.Source.PAPER if paper else Score.Source.EXPERT,
            "saved_by": by,
            "saved_at": at,
        }
        fields["total"] = rubric_total(rubric, fields["items"])
        if submit:
            fields.update(state=Score.State.SUBMITTED, submitted_at=at)
        score = _write(score, locked_round, expert, application, fields, by)
        _record_save(score, submit=submit, by=by, entered_for=expert.name if paper else None)
    return score


def _record_save(score, *, submit, by, entered_for):
    data = {
        "version": score.version,
        "total": str(score.total) if score.total is not None else "",
        "source": score.source,
    }
    if entered_for:
        data["entered_for"] = entered_for  # the secretary typed in this expert's paper sheet
    record(
        score,
        "submit" if submit else "save",
        actor=by,
        from_state=Score.State.DRAFT if score.version > 1 else "",
        to_state=score.state,
        data=data,
    )


def _ensure_complete(rubric, values, opinion):
    missing = [c["title"] for c in rubric if values.get(c["code"]) is None]
    if missing:
        raise ScoringRefused(
            _("提交前请为每一项评分指标打分，尚未打分：%(items)s。") % {"items": "、".join(missing)}
        )
    if not opinion.strip():
        raise ScoringRefused(_("提交前请填写总体评审意见。"))


def _write(score, round_, expert, application, fields, by) -> Score:
    if score is None:
        try:
            with transaction.atomic():
                return Score.objects.create(
                    round=round_, expert=expert, application=application, version=1, **fields
                )
        except IntegrityError:  # created meanwhile from another tab
            raise StaleScore(None, by) from None
    updated = Score.objects.filter(pk=score.pk, version=score.version).update(
        version=score.version + 1, **fields
    )
    if not updated:
        raise StaleScore(score, by)
    score.refresh_from_db()
    return score


def reopen_score(score, *, by, reason, at=None) -> Score:
    """The office returns a submitted score to its expert for correction."""
    if not reason.strip():
        raise ScoringRefused(_("请填写退回评分的理由。"))
    with transaction.atomic():
        locked = (
            Score.objects.select_for_update(of=("self",))  # expert.user may be null
            .select_related("round", "expert__user")
            .get(pk=score.pk)
        )
        if not locked.is_submitted:
            raise ScoringRefused(_("这份评分尚未提交，无需退回。"))
        if locked.round.state != State.OPEN:
            raise ScoringRefused(_("本轮评审已结束，请先重新开启本轮评审，再退回评分。"))
        locked.state, locked.submitted_at = Score.State.DRAFT, None
        locked.version += 1
        locked.saved_by, locked.saved_at = by, at or now()
        locked.save()
        record(
            locked,
            "reopen",
            actor=by,
            from_state=Score.State.SUBMITTED,
            to_state=Score.State.DRAFT,
            reason=reason,
        )
        if locked.expert.user is not None:
            notify(
                [locked.expert.user],
                _("您对“%(name)s”的评分已被省信息化办退回修改：%(reason)s")
                % {"name": locked.application.name, "reason": reason},
                url=reverse("scoring:task", args=[locked.round_id, locked.application_id]),
            )
    return locked


def score_rows(score) -> list[tuple[dict, str, str]]:
    """(criterion, score, comment) for each criterion of the score's round, for display."""
    return [
        (c, score.items.get(c["code"], ""), score.comments.get(c["code"], ""))
        for c in score.round.rubric
    ]


def parse_items(rubric, data) -> tuple[dict, dict]:
    """Criterion scores from text: ({code: Decimal or None}, {code: error message})."""
    items, errors = {}, {}
    for criterion in rubric:
        code, raw = criterion["code"], str(data.get(criterion["code"], "")).strip()
        low, high = Decimal(criterion["min"]), Decimal(criterion["max"])
        range_text = _("“%(title)s”的评分应为 %(low)s～%(high)s 之间的数，最多两位小数。") % {
            "title": criterion["title"],
            "low": f"{low.normalize():f}",
            "high": f"{high.normalize():f}",
        }
        if not raw:
            items[code] = None
            continue
        try:
            value = Decimal(raw)
        except ArithmeticError:
            value = None
        valid = value is not None and value.is_finite() and low <= value <= high
        if not valid or value.as_tuple().exponent < -2:
            errors[code] = range_text
        else:
            items[code] = value
    return items, errors


# --- Reminders --------------------------------------------------------------------------


def remind(round_, *, by, expert=None, at=None) -> dict:
    """Remind experts who have not submitted all their scores, once per expert and day."""
    at = at or now()
    _applications, experts = queries.progress(round_, at)
    result = {"notified": [], "already": [], "no_account": []}
    deadline = (
        _("，截止时间 %(when)s") % {"when": f"{china_time(round_.deadline):%Y-%m-%d %H:%M}"}
        if round_.deadline
        else ""
    )
    day = china_time(at).date().isoformat()
    for row in experts:
        if row.done >= row.assigned or (expert is not None and row.expert.pk != expert.pk):
            continue
        user = row.expert.user
        if user is None or not user.is_active:
            result["no_account"].append(row.expert)
            continue
        sent = notify(
            [user],
            _("请您完成“%(round)s”的专家评分：还有 %(n)d 个项目未提交%(deadline)s。")
            % {"round": round_, "n": row.assigned - row.done, "deadline": deadline},
            url=reverse("scoring:home"),
            key=f"scoring-remind:{round_.pk}:{row.expert.pk}:{day}",
        )
        result["notified" if sent else "already"].append(row.expert)
    record(
        round_,
        "remind",
        actor=by,
        data={key: [e.name for e in experts] for key, experts in result.items()},
    )
    return result
