from django import forms
from django.contrib import admin
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from keyprojects.documents.uploads import check_viruses

from .models import Call, CallMaterial, Category


class CategoryInline(admin.TabularInline):
    model = Category
    extra = 0


class CallMaterialForm(forms.ModelForm):
    class Meta:
        model = CallMaterial
        fields = ["title", "file", "filename", "order"]

    def clean_file(self):
        """The public downloads these: scanned like every upload (when a scanner is set)."""
        uploaded = self.cleaned_data["file"]
        if isinstance(uploaded, UploadedFile):
            check_viruses(uploaded)
        return uploaded


class CallMaterialInline(admin.TabularInline):
    model = CallMaterial
    form = CallMaterialForm
    extra = 0


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ["title", "year", "window_opens_at", "window_closes_at", "is_published"]
    list_filter = ["is_published", "year"]
    prepopulated_fields = {"slug": ["year"]}
    inlines = [CategoryInline, CallMaterialInline]
    fieldsets = [
        (None, {"fields": ["year", "slug", "title", "notice_number", "is_published"]}),
        (
            _("时间（北京时间）"),
            {"fields": ["window_opens_at", "window_closes_at", "recommendation_deadline"]},
        ),
        (
            _("规则"),
            {
                "fields": [
                    "min_informatisation_investment",
                    "earliest_start",
                    "nominal_period_months",
                    "period_tolerance_months",
                    "per_applicant_limit",
                    "required_attachment_kinds",
                    "form_extras",
                ]
            },
        ),
        (_("通知与说明"), {"fields": ["notice_text", "requirements", "instructions"]}),
        (
            _("联系方式"),
            {"fields": ["contact_name", "contact_phone", "support_phone", "contact_address"]},
        ),
    ]
