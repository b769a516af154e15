from django.urls import path

from keyprojects.imports.routes import import_urls

from . import area_views, office_views, owner_views, views
from .imports import PROJECTS

app_name = "tracking"

urlpatterns = [
    # The provincial office
    path("", office_views.index, name="index"),
    path("projects/", office_views.projects, name="projects"),
    path("projects/sync/", office_views.sync_platform, name="sync_platform"),
    # import, import_template, import_report, import_confirm, import_progress, import_errors
    *import_urls(PROJECTS, "import/"),
    path("rounds/new/", office_views.round_new, name="round_new"),
    path("rounds/<uuid:pk>/", office_views.round_page, name="round"),
    path("rounds/<uuid:pk>/export.xlsx", office_views.round_export, name="round_export"),
    path("rounds/<uuid:pk>/remind/", office_views.round_remind, name="round_remind"),
    path("rounds/<uuid:pk>/add/", office_views.round_add_missing, name="round_add_missing"),
    path("rounds/<uuid:pk>/close/", office_views.round_close, name="round_close"),
    path("reports/<uuid:pk>/", office_views.report_page, name="report"),
    path("reports/<uuid:pk>/evaluate/", office_views.evaluate, name="evaluate"),
    path("reports/<uuid:pk>/return/", office_views.return_report, name="return"),
    # Anyone who may read the report
    path(
        "reports/<uuid:pk>/attachments/<uuid:attachment_pk>/",
        views.attachment,
        name="attachment",
    ),
    # The owner (建设单位)
    path("my/", owner_views.my_reports, name="my_reports"),
    path("my/<uuid:pk>/", owner_views.my_report, name="my_report"),
    path("my/<uuid:pk>/attachments/", owner_views.attach, name="attach"),
    path(
        "my/<uuid:pk>/attachments/<uuid:attachment_pk>/delete/",
        owner_views.detach,
        name="detach",
    ),
    # The local authority
    path("area/", area_views.area_reports, name="area_reports"),
    path("area/<uuid:pk>/", area_views.area_report, name="area_report"),
]
