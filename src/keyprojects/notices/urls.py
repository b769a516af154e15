from django.urls import path

from . import objection_views, public_views, views

app_name = "notices"
urlpatterns = [
    # The public: published notices, objections.
    path("", public_views.index, name="index"),
    path("<uuid:pk>/", public_views.public_notice, name="public"),
    path("<uuid:pk>/objections/", public_views.file_objection, name="file_objection"),
    path("<uuid:pk>/receipt/", public_views.receipt, name="receipt"),
    # The provincial office: decisions, the notice, the final list.
    path("office/", views.office_home, name="office"),
    path("office/calls/<slug:slug>/", views.decision_page, name="decisions"),
    path("office/calls/<slug:slug>/decide/", views.decide, name="decide"),
    path("office/calls/<slug:slug>/tiers/", views.default_tiers, name="default_tiers"),
    path("office/calls/<slug:slug>/notice/", views.edit_notice, name="edit_notice"),
    path("office/notices/<uuid:pk>/", views.manage, name="manage"),
    path("office/notices/<uuid:pk>/publish/", views.publish, name="publish"),
    path("office/notices/<uuid:pk>/finalise/", views.finalise, name="finalise"),
    path("office/notices/<uuid:pk>/list.xlsx", views.export, {"fmt": "xlsx"}, name="xlsx"),
    path("office/notices/<uuid:pk>/list.pdf", views.export, {"fmt": "pdf"}, name="pdf"),
    path("office/objections/<uuid:pk>/", objection_views.objection_detail, name="objection"),
    path(
        "office/objections/<uuid:pk>/investigate/",
        objection_views.investigate,
        name="investigate",
    ),
    path("office/objections/<uuid:pk>/answer/", objection_views.answer, name="answer"),
    path("office/objections/<uuid:pk>/withdraw/", objection_views.withdraw, name="withdraw"),
    path("office/objections/<uuid:pk>/evidence/", objection_views.evidence, name="evidence"),
]
