from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from keyprojects.audit.domain import record

from .models import FormalCheck, PastKeyProject, SimilarityRun, SimilarPair


@admin.register(PastKeyProject)
class PastKeyProjectAdmin(admin.ModelAdmin):
    """Earlier years' key projects, entered by hand until the XLSX import exists."""

    list_display = ["year", "name", "applicant_name", "city_name", "category_name"]
    list_filter = ["year", "city_name", "category_name"]
    search_fields = ["name", "applicant_name", "applicant_credit_code", "content"]
    fieldsets = [
        (None, {"fields": ["year", "name", "category_name", "city_name"]}),
        (_("申报单位"), {"fields": ["applicant_name", "applicant_credit_code"]}),
        (None, {"fields": ["content", "informatisation_investment"]}),
    ]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        record(
            obj,
            "change" if change else "create",
            actor=request.user,
            data={"fields": sorted(form.changed_data)},
        )

    def delete_model(self, request, obj):
        record(obj, "delete", actor=request.user, data={"name": obj.name, "year": obj.year})
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            record(obj, "delete", actor=request.user, data={"name": obj.name, "year": obj.year})
        super().delete_queryset(request, queryset)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Verdicts and pairs change only through the selection pages, which record events."""

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(FormalCheck)
class FormalCheckAdmin(ReadOnlyAdmin):
    list_display = ["application", "verdict", "checked_by", "checked_at", "version"]
    list_filter = ["verdict"]
    search_fields = ["application__name"]


@admin.register(SimilarPair)
class SimilarPairAdmin(ReadOnlyAdmin):
    list_display = ["application", "other", "jaccard", "name_jaccard", "continuation", "verdict"]
    list_filter = ["continuation", "verdict", "current"]
    search_fields = ["application__name"]


@admin.register(SimilarityRun)
class SimilarityRunAdmin(ReadOnlyAdmin):
    list_display = ["call", "state", "requested_at", "documents", "pairs", "seconds"]
