from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("", views.my_exports, name="exports"),
    path("lists/<slug:name>/", views.start, name="start_export"),
    path("<uuid:pk>/", views.export_page, name="export"),
    path("<uuid:pk>/status/", views.export_status, name="export_status"),
    path("<uuid:pk>/download/", views.download, name="export_download"),
]
