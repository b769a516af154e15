from django.contrib import admin

from .models import Application, Attachment, Partner


class PartnerInline(admin.TabularInline):
    model = Partner
    extra = 0


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    fields = ["kind", "original_name", "size", "sha256", "uploaded_by", "uploaded_at"]
    readonly_fields = fields


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    """Read-only: status changes go through the workflow, never through the admin."""

    list_display = ["name", "organisation", "call", "category", "status", "updated_at"]
    list_filter = ["call", "status", "category"]
    search_fields = ["name", "organisation__name", "organisation__credit_code"]
    inlines = [PartnerInline, AttachmentInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
