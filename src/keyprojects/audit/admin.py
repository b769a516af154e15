from django.contrib import admin

from .models import Event


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "target_type", "target_id", "action", "from_state", "to_state"]
    list_filter = ["target_type", "action"]
    search_fields = ["target_id", "actor__username", "reason"]

    # The trail is append-only, also for administrators.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
