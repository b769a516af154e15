from django.urls import path

from . import funding_views, views

app_name = "stats"

urlpatterns = [
    # The office, and local authorities for their own area.
    path("", views.dashboard, name="dashboard"),
    path("export/<slug:figure>.xlsx", views.export, name="export"),
    # The office: funding priority (专项资金优先支持).
    path("funding/", funding_views.funding_list, name="funding"),
    path("funding/export.xlsx", funding_views.funding_export, name="funding_export"),
    path("funding/<uuid:pk>/", funding_views.funding_edit, name="funding_edit"),
    path("funding/<uuid:pk>/unmark/", funding_views.funding_unmark, name="funding_unmark"),
    # The public: the yearly summary, once a year's list is final.
    path("public/", views.public_index, name="public_index"),
    path("public/<int:year>/", views.public_year, name="public_year"),
]
