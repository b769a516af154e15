"""The office corrects a tracked project's data here (e.g. a city or an amount); states of
rounds and reports change only through the pages."""

from django.contrib import admin

from .models import TrackedProject


@admin.register(TrackedProject)
class TrackedProjectAdmin(admin.ModelAdmin):
    list_display = ["year", "name", "applicant_name", "credit_code", "city", "source"]
    list_filter = ["source", "year", "city"]
    search_fields = ["name", "applicant_name", "credit_code"]
    readonly_fields = ["source", "application", "organisation", "imported_by", "created_at"]
    autocomplete_fields = []

    def has_add_permission(self, request):
        return False  # projects come from the import or from the platform's final lists

    def has_delete_permission(self, request, obj=None):
        return False  # reports refer to them
