from django.contrib import admin

from .models import FundingPriority


@admin.register(FundingPriority)
class FundingPriorityAdmin(admin.ModelAdmin):
    """Read-only: marks change on the funding page, which checks the rules and records events."""

    list_display = ["application", "amount", "marked_by", "marked_at", "unmarked_at"]
    list_select_related = ["application", "marked_by"]
    search_fields = ["application__name", "application__organisation__name"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
