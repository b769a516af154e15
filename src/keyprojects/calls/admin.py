from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Call, CallMaterial, Category


class CategoryInline(admin.TabularInline):
    model = Category
    extra = 0


class CallMaterialInline(admin.TabularInline):
    model = CallMaterial
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
