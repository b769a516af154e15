from django.urls import path

from keyprojects.imports.routes import import_urls

from . import views
from .imports import REVIEWERS

app_name = "review"
urlpatterns = [
    path("", views.review_queue, name="queue"),
    path("applications/<uuid:pk>/", views.application_detail, name="application"),
    path("applications/<uuid:pk>/decide/", views.decide, name="decide"),
    path(
        "applications/<uuid:pk>/attachments/<uuid:attachment_pk>/",
        views.attachment,
        name="attachment",
    ),
    path("calls/<slug:slug>/recommend/", views.batch_recommend, name="batch_recommend"),
    path("calls/<slug:slug>/", views.batch_page, name="batch"),
    path("calls/<slug:slug>/tables/", views.generate_table, name="generate_table"),
    path("calls/<slug:slug>/scans/", views.upload_scan, name="upload_scan"),
    path("calls/<slug:slug>/submit/", views.submit_batch, name="submit_batch"),
    path("batches/<uuid:pk>/reopen/", views.reopen_batch, name="reopen_batch"),
    path("tables/<uuid:pk>/", views.table_page, name="table"),
    path("tables/<uuid:pk>/progress/", views.table_progress, name="table_progress"),
    path("tables/<uuid:pk>/xlsx/", views.table_file, {"fmt": "xlsx"}, name="table_xlsx"),
    path("tables/<uuid:pk>/pdf/", views.table_file, {"fmt": "pdf"}, name="table_pdf"),
    path("scans/<uuid:pk>/", views.scan_file, name="scan"),
    # import_reviewers, import_reviewers_template, _report, _confirm, _progress, _errors
    *import_urls(REVIEWERS, "import-reviewers/"),
]
