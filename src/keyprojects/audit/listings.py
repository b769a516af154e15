"""The audit trail (审计日志) as a list: the office's search, sorts and export.

A search with a bad value finds nothing rather than more than was asked for: the office
reads the trail to answer a precise question.
"""

from django.utils.translation import gettext_lazy as _

from keyprojects.documents.listings import Listing, register
from keyprojects.documents.xlsx import NUMBER, SECONDS, Column

from .exports import describe
from .forms import EventFilter
from .models import Event
from .queries import search


@register
class AuditTrail(Listing):
    name = "audit"
    title = _("审计日志")
    permission = "audit.view_events"
    url_name = "audit:events"
    filter_class = EventFilter
    # Rows are the events as `exports.describe` gives them (see `decorate`).
    columns = [
        Column(_("时间（北京时间）"), lambda r: r["event"].at, 20, SECONDS),
        Column(_("序号"), lambda r: r["event"].seq, 10, NUMBER),
        Column(_("账号"), lambda r: r["username"], 16),
        Column(_("姓名"), lambda r: r["name"], 12),
        Column(_("角色"), lambda r: r["role"], 14),
        Column(_("IP 地址"), lambda r: r["ip"], 16),
        Column(_("动作"), lambda r: r["action"], 18),
        Column(_("动作代码"), lambda r: r["event"].action, 16),
        Column(_("对象类型"), lambda r: r["target"], 16),
        Column(_("对象类型代码"), lambda r: r["event"].target_type, 24),
        Column(_("对象编号"), lambda r: r["event"].target_id, 38),
        Column(_("原状态"), lambda r: r["from_state"], 12),
        Column(_("新状态"), lambda r: r["to_state"], 12),
        Column(_("原因"), lambda r: r["event"].reason, 30),
        Column(_("结果"), lambda r: r["outcome"], 8),
        Column(_("详情（JSON）"), lambda r: r["data"], 40),
    ]

    def rows(self, user, query, context):
        if query.problems:
            return Event.objects.none()
        return query.order(search(**query.form.filters()))

    def decorate(self, rows, context):
        return (describe(event) for event in rows)
