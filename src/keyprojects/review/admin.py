from django.contrib import admin

from .models import RecommendationBatch, StampedScan, SummaryTable


@admin.register(RecommendationBatch)
class RecommendationBatchAdmin(admin.ModelAdmin):
    """Read-only: sending and reopening go through review.domain, which records events."""

    list_display = ["authority", "call", "submitted_at", "submitted_by"]
    list_filter = ["call", "authority__kind"]
    search_fields = ["authority__name"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SummaryTable)
class SummaryTableAdmin(RecommendationBatchAdmin):
    list_display = ["batch", "code", "state", "generated_at", "generated_by"]
    list_filter = ["state"]
    search_fields = ["code", "batch__authority__name"]


@admin.register(StampedScan)
class StampedScanAdmin(RecommendationBatchAdmin):
    list_display = ["table", "original_name", "code_source", "seal_found", "uploaded_at"]
    list_filter = ["code_source", "seal_found"]
    search_fields = ["table__code", "original_name"]
