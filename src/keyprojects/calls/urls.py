from django.urls import path

from . import views

app_name = "calls"
urlpatterns = [
    path("<slug:slug>/", views.call_detail, name="detail"),
    path("<slug:slug>/notice.pdf", views.notice_pdf, name="notice_pdf"),
    path("<slug:slug>/instructions.pdf", views.instructions_pdf, name="instructions_pdf"),
    path("<slug:slug>/form-template.pdf", views.form_template_pdf, name="form_template_pdf"),
    path("<slug:slug>/materials/<int:pk>/", views.material_download, name="material"),
]
