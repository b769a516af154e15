"""One error body for every failure of the API, so callers parse errors one way:

    {"error": {"code": "not_found", "message": "中文说明", "details": [...]}}

`code` is stable and meant for programs; `message` is for people; `details` lists what was
wrong with which parameter (validation) and is otherwise empty.
"""

import functools
import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

logger = logging.getLogger("django.request")


class ErrorDetail(Schema):
    location: str = ""
    field: str = ""
    message: str
    type: str = ""


class Error(Schema):
    code: str
    message: str
    details: list[ErrorDetail]


class ErrorBody(Schema):
    error: Error


class Refused(AuthorizationError):
    """The caller is known but may not read this kind of resource (403)."""

    def __init__(self, message, code="forbidden"):
        super().__init__(403, str(message))
        self.code = code


class Unauthenticated(AuthenticationError):
    def __init__(self, message, code="unauthorized"):
        super().__init__(401, str(message))
        self.code = code


def body(code: str, message, details: list[Any] | None = None) -> dict:
    return {"error": {"code": code, "message": str(message), "details": details or []}}


def respond(api, request, status, code, message, details=None):
    return api.create_response(request, body(code, message, details), status=status)


def _validation_details(errors) -> list[dict]:
    details = []
    for error in errors:
        location = error.get("loc") or ()
        details.append(
            {
                "location": str(location[0]) if location else "",
                "field": ".".join(str(part) for part in location[1:]),
                "message": _validation_message(error),
                "type": str(error.get("type", "")),
            }
        )
    return details


def _validation_message(error) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    messages = {
        "missing": _("缺少必填参数。"),
        "int_parsing": _("须为整数。"),
        "int_type": _("须为整数。"),
        "uuid_parsing": _("须为 UUID。"),
        "uuid_type": _("须为 UUID。"),
        "enum": _("取值不在允许范围内。"),
        "literal_error": _("取值不在允许范围内。"),
        "string_pattern_mismatch": _("格式不正确。"),
        "string_too_long": _("过长。"),
        "string_too_short": _("过短。"),
    }
    if kind in {"greater_than_equal", "greater_than"}:
        return _("不能小于 %(limit)s。") % {"limit": ctx.get("ge", ctx.get("gt", ""))}
    if kind in {"less_than_equal", "less_than"}:
        return _("不能大于 %(limit)s。") % {"limit": ctx.get("le", ctx.get("lt", ""))}
    return str(messages.get(kind, _("参数不正确。")))


def install(api):
    """Replace django-ninja's handlers (which answer {"detail": ...}) with ours."""

    def not_found(request, exc):
        return respond(api, request, 404, "not_found", _("未找到该资源，或无权查看。"))

    def validation(request, exc):
        return respond(
            api,
            request,
            422,
            "invalid_request",
            _("请求参数不正确。"),
            _validation_details(exc.errors),
        )

    def http_error(request, exc):
        if isinstance(exc, Throttled):
            response = respond(api, request, 429, "rate_limited", _("请求过于频繁，请稍后再试。"))
            response["Retry-After"] = str(getattr(request, "_api_retry_after", 60))
            return response
        if isinstance(exc, Unauthenticated):
            response = respond(api, request, 401, exc.code, exc.message)
        elif isinstance(exc, AuthenticationError):  # no credentials at all
            response = respond(
                api, request, 401, "unauthorized", _("需要登录或提供有效的访问令牌。")
            )
        elif isinstance(exc, Refused):
            return respond(api, request, 403, exc.code, exc.message)
        elif isinstance(exc, AuthorizationError):
            return respond(api, request, 403, "forbidden", _("无权访问该资源。"))
        else:
            return respond(api, request, exc.status_code, "error", exc.message)
        response["WWW-Authenticate"] = 'Bearer realm="keyprojects"'
        return response

    def server_error(request, exc):
        logger.error(
            "Internal Server Error: %s",
            request.path,
            exc_info=(type(exc), exc, exc.__traceback__),
            extra={"status_code": 500, "request": request},
        )
        return respond(api, request, 500, "server_error", _("服务器内部错误，请稍后再试。"))

    def denied(request, exc):
        return respond(api, request, 403, "forbidden", _("无权访问该资源。"))

    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(PermissionDenied, denied)
    api.add_exception_handler(NinjaValidationError, validation)
    api.add_exception_handler(HttpError, http_error)
    api.add_exception_handler(Exception, server_error)


def _json(status, code, message):
    return JsonResponse(
        body(code, message), status=status, json_dumps_params={"ensure_ascii": False}
    )


def not_found_view(request, rest=""):
    """Paths under /api/v1/ that name no endpoint answer with the same body as the API."""
    return _json(404, "not_found", _("未找到该资源，或无权查看。"))


def with_stable_405(urls):
    """django-ninja answers a method it has no operation for with a bare 405 before any
    exception handler runs; give those the API's error body too (keeping `Allow`)."""
    patterns, app_name, namespace = urls
    for pattern in patterns:
        pattern.callback = _stable_405(pattern.callback)
    return patterns, app_name, namespace


def _stable_405(view):
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            stable = _json(405, "method_not_allowed", _("该接口只支持 GET 请求。"))
            stable["Allow"] = response["Allow"]
            return stable
        return response

    return wrapped


ERRORS = {
    401: ErrorBody,
    403: ErrorBody,
    404: ErrorBody,
    422: ErrorBody,
    429: ErrorBody,
}
PUBLIC_ERRORS = {code: ErrorBody for code in (404, 422, 429)}
