"""Version 1 of the integration API (数据接口), served under /api/v1/.

The OpenAPI document is /api/v1/openapi.json; the interactive page /api/v1/docs is ours
(views.docs), not django-ninja's, so that it runs under the site's Content-Security-Policy.
Everything is read-only (GET): nothing here writes, so no endpoint needs CSRF protection.
"""

from ninja import NinjaAPI

from . import errors
from .auth import THROTTLE
from .common import Renderer
from .endpoints import private, public

DESCRIPTION = """智慧江苏重点工程申报平台的数据接口（只读）。

- 公开数据（年度批次、行政区划、公示、最终名单、典型案例）无需认证。
- 其他数据需要 `Authorization: Bearer <访问令牌>`（由省信息化办签发，按主管部门和权限范围授权），
  或平台的登录会话。
- 金额以万元为单位，为两位小数的字符串（不使用浮点数）；时间为 ISO 8601 北京时间（+08:00）。
- 列表分页：`limit`（1–100，默认 20）和 `offset`；响应含总条数 `count`。
- 所有错误返回 `{"error": {"code": "...", "message": "中文说明", "details": [...]}}`。
"""

api = NinjaAPI(
    title="智慧江苏重点工程申报平台数据接口",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    docs_url=None,
    renderer=Renderer(),
    throttle=THROTTLE,
)
errors.install(api)
api.add_router("", public.router)
api.add_router("", private.router)
