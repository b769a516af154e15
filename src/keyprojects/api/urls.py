"""/api/: the integration API (v1), its documentation page, and the office's token pages."""

from django.urls import include, path, re_path

from . import views
from .errors import not_found_view, with_stable_405
from .v1 import api

pages = [
    path("tokens/", views.tokens_page, name="tokens"),
    path("tokens/<uuid:pk>/revoke/", views.revoke_token, name="revoke_token"),
    path("v1/docs", views.docs, name="docs"),
    path("v1/docs/assets/<str:name>", views.docs_asset, name="docs_asset"),
]

urlpatterns = [
    path("", include((pages, "api"))),
    path("v1/", with_stable_405(api.urls)),
    # Anything else under v1/ answers with the API's own error body, not an HTML page.
    re_path(r"^v1/(?P<rest>.*)$", not_found_view),
]
