from django.urls import path

from . import consent_views, office_views, public_views

app_name = "cases"
urlpatterns = [
    # The public: the library, case pages, pictures, the yearly collection.
    path("", public_views.library, name="library"),
    path("<uuid:pk>/", public_views.case_page, name="case"),
    path("images/<uuid:pk>/", public_views.image, name="image"),
    path("collection/<int:year>.pdf", public_views.collection_pdf, name="collection"),
    # The applicant organisation: its consent.
    path("consent/", consent_views.consent_list, name="consent_list"),
    path("consent/<uuid:pk>/", consent_views.consent, name="consent"),
    # The provincial office.
    path("office/", office_views.office_list, name="office"),
    path("office/new/", office_views.choose, name="choose"),
    path("office/new/create/", office_views.create, name="create"),
    path("office/<uuid:pk>/", office_views.case_detail, name="office_case"),
    path("office/<uuid:pk>/edit/", office_views.edit, name="edit"),
    path("office/<uuid:pk>/figures/", office_views.add_figure, name="add_figure"),
    path(
        "office/<uuid:pk>/figures/<uuid:figure_pk>/delete/",
        office_views.delete_figure,
        name="delete_figure",
    ),
    path("office/<uuid:pk>/images/", office_views.add_image, name="add_image"),
    path(
        "office/<uuid:pk>/images/<uuid:image_pk>/delete/",
        office_views.delete_image,
        name="delete_image",
    ),
    path("office/<uuid:pk>/consent/", office_views.request_consent, name="request_consent"),
    path("office/<uuid:pk>/act/", office_views.act, name="act"),
    path(
        "office/collection/<int:year>/progress/",
        office_views.collection_progress,
        name="collection_progress",
    ),
]
