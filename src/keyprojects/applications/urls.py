from django.urls import path

from . import views

app_name = "applications"
urlpatterns = [
    path("", views.applicant_home, name="home"),
    path("calls/<slug:slug>/start/", views.start, name="start"),
    path("<uuid:pk>/", views.detail, name="detail"),
    path("<uuid:pk>/edit/", views.edit, name="edit"),
    path("<uuid:pk>/autosave/", views.autosave, name="autosave"),
    path("<uuid:pk>/submit/", views.submit, name="submit"),
    path("<uuid:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<uuid:pk>/pdf/", views.application_pdf, name="pdf"),
    path("<uuid:pk>/attachments/", views.upload_attachment, name="upload_attachment"),
    path(
        "<uuid:pk>/attachments/<uuid:attachment_pk>/", views.download_attachment, name="attachment"
    ),
    path(
        "<uuid:pk>/attachments/<uuid:attachment_pk>/delete/",
        views.delete_attachment,
        name="delete_attachment",
    ),
]
