"""Rules about a call's dates and configuration."""

import datetime as dt
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from keyprojects.core.clock import china_time, now

EXTRA_FIELD_TYPES = {"text", "textarea", "integer", "boolean"}


class WindowState(StrEnum):
    UPCOMING = "upcoming"
    OPEN = "open"
    CLOSED = "closed"


class WindowClosed(Exception):
    """An applicant tried to write outside the application window."""

    def __init__(self, call, at):
        self.call = call
        self.at = at
        super().__init__(str(window_closed_message(call, at)))


def window_state(call, at: dt.datetime | None = None) -> WindowState:
    at = at or now()
    if at < call.window_opens_at:
        return WindowState.UPCOMING
    if at < call.window_closes_at:
        return WindowState.OPEN
    return WindowState.CLOSED


def ensure_window_open(call, at: dt.datetime | None = None) -> None:
    """Refuse any applicant write outside [opens, closes), whatever the server's zone."""
    at = at or now()
    if window_state(call, at) is not WindowState.OPEN:
        raise WindowClosed(call, at)


class RecommendationClosed(Exception):
    """A reviewer tried to write after the recommendation deadline."""

    def __init__(self, call):
        self.call = call
        super().__init__(
            str(
                _("推荐意见已于 %(deadline)s（北京时间）截止，不能再修改。")
                % {"deadline": format_deadline(call.recommendation_deadline)}
            )
        )


def ensure_before_recommendation_deadline(
    call, at: dt.datetime | None = None, extended_until: dt.datetime | None = None
) -> None:
    """`extended_until`: a later deadline the office granted one authority (review app)."""
    deadline = max(call.recommendation_deadline, extended_until or call.recommendation_deadline)
    if (at or now()) >= deadline:
        raise RecommendationClosed(call)


def window_closed_message(call, at: dt.datetime):
    if window_state(call, at) is WindowState.UPCOMING:
        return _("网上申报尚未开始，开始时间为 %(opens)s（北京时间）。") % {
            "opens": f"{china_time(call.window_opens_at):%Y-%m-%d %H:%M}"
        }
    return _(
        "网上申报已于 %(closes)s（北京时间）截止，系统已关闭；已填写的草稿仍保留，可查看。"
    ) % {"closes": format_deadline(call.window_closes_at)}


def format_deadline(instant: dt.datetime) -> str:
    # "7月20日24:00" reads the way the notice writes it, rather than "7月21日00:00".
    local = china_time(instant)
    if local.time() == dt.time.min:
        return f"{(local - dt.timedelta(days=1)):%Y-%m-%d} 24:00"
    return f"{local:%Y-%m-%d %H:%M:%S}"


def time_left(call, at: dt.datetime | None = None) -> dt.timedelta | None:
    at = at or now()
    if window_state(call, at) is not WindowState.OPEN:
        return None
    return call.window_closes_at - at


def validate_form_extras(extras) -> None:
    """The admin edits form extras as JSON; refuse a shape the form cannot render."""
    if not isinstance(extras, list):
        raise ValidationError({"form_extras": _("附加填报项应为列表。")})
    keys = set()
    for position, item in enumerate(extras, start=1):
        if not isinstance(item, dict) or not item.get("key") or not item.get("label"):
            raise ValidationError(
                {"form_extras": _("第%(n)d项缺少 key 或 label。") % {"n": position}}
            )
        if not str(item["key"]).isidentifier() or item["key"] in keys:
            raise ValidationError(
                {"form_extras": _("第%(n)d项的 key 无效或重复。") % {"n": position}}
            )
        if item.get("type", "text") not in EXTRA_FIELD_TYPES:
            raise ValidationError(
                {
                    "form_extras": _("第%(n)d项的 type 只能是 text、textarea、integer 或 boolean。")
                    % {"n": position}
                }
            )
        keys.add(item["key"])
