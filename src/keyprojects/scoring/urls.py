from django.urls import path

from . import defence_views, office_views, views

app_name = "scoring"
urlpatterns = [
    # The expert
    path("", views.home, name="home"),
    path("rounds/<uuid:round_pk>/applications/<uuid:pk>/", views.task, name="task"),
    path(
        "rounds/<uuid:round_pk>/applications/<uuid:pk>/attachments/<uuid:attachment_pk>/",
        views.attachment,
        name="attachment",
    ),
    # The applicant
    path("defence/", views.my_slots, name="my_slots"),
    path("slots/<uuid:pk>/pdf/", views.slot_pdf, name="slot_pdf"),
    # The provincial office
    path("office/", office_views.office_home, name="office"),
    path("calls/<slug:slug>/", office_views.call_rounds, name="call"),
    path("rounds/<uuid:pk>/", office_views.round_page, name="round"),
    path("rounds/<uuid:pk>/state/", office_views.round_state, name="round_state"),
    path("rounds/<uuid:pk>/deadline/", office_views.round_deadline, name="round_deadline"),
    path("rounds/<uuid:pk>/remind/", office_views.remind, name="remind"),
    path("rounds/<uuid:pk>/ranking/", office_views.ranking_page, name="ranking"),
    path("scores/<uuid:pk>/", office_views.score_detail, name="score"),
    path("scores/<uuid:pk>/reopen/", office_views.score_reopen, name="score_reopen"),
    # The office: defence round and combined meeting
    path("rounds/<uuid:pk>/shortlist/", defence_views.shortlist, name="shortlist"),
    path("rounds/<uuid:pk>/panels/", defence_views.panel_create, name="panel_create"),
    path("panels/<uuid:pk>/", defence_views.panel_page, name="panel"),
    path("slots/<uuid:pk>/cancel/", defence_views.slot_cancel, name="slot_cancel"),
    path("slots/<uuid:pk>/paper/<uuid:expert_pk>/", defence_views.paper_score, name="paper_score"),
    path("rounds/<uuid:pk>/combined/", defence_views.combined, name="combined"),
]
