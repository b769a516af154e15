from django.contrib import admin

from .models import FormalCheck, SimilarityRun, SimilarPair


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
