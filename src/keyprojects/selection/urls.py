from django.urls import path

from . import views

app_name = "selection"
urlpatterns = [
    path("", views.index, name="index"),
    path("applications/<uuid:pk>/", views.check, name="check"),
    path(
        "applications/<uuid:pk>/attachments/<uuid:attachment_pk>/",
        views.attachment,
        name="attachment",
    ),
    path("pairs/<uuid:pk>/", views.pair, name="pair"),
    path("<slug:slug>/", views.overview, name="overview"),
    path("<slug:slug>/duplicates/", views.duplicates, name="duplicates"),
    path("<slug:slug>/duplicates/run/", views.run_similarity, name="run_similarity"),
    path(
        "<slug:slug>/duplicates/progress/",
        views.similarity_progress,
        name="similarity_progress",
    ),
]
