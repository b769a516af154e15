from django.contrib import admin

from .models import Decision, Objection, PublicNotice, Tier


@admin.register(Tier)
class TierAdmin(admin.ModelAdmin):
    """The office sets each call's tiers here (or takes the 2020 defaults on the decision
    page). A maximum counts the tier and every higher tier; see models.Tier."""

    list_display = ["call", "order", "name", "max_count"]
    list_filter = ["call"]
    ordering = ["call", "order"]

    def has_delete_permission(self, request, obj=None):
        # A tier that projects were selected into stays: the decisions refer to it.
        if obj is not None and Decision.objects.filter(tier=obj).exists():
            return False
        return super().has_delete_permission(request, obj)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Read-only: every change goes through the notices domain, which records events."""

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PublicNotice)
class PublicNoticeAdmin(ReadOnlyAdmin):
    list_display = ["title", "call", "state", "starts_on", "ends_on"]
    list_filter = ["state"]


@admin.register(Objection)
class ObjectionAdmin(ReadOnlyAdmin):
    list_display = ["receipt", "notice", "application", "state", "outcome", "filed_at"]
    list_filter = ["state", "outcome"]
    search_fields = ["receipt"]
    exclude = ["phone", "email"]  # personal data stays on the office's objection page
