from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.utils.translation import gettext_lazy as _

from .models import Authority, Invitation, Organisation, Region, User


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "parent", "abolished_on"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]


@admin.register(Authority)
class AuthorityAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "region"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "credit_code", "kind", "seat", "created_at"]
    list_filter = ["kind"]
    search_fields = ["name", "credit_code"]
    autocomplete_fields = ["seat"]


class InitialPasswordForm(AdminPasswordChangeForm):
    """A password the office sets for someone is an initial one: it must be changed."""

    def save(self, commit=True):
        user = super().save(commit=False)
        user.must_change_password = True
        if commit:
            user.save()
        return user


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    change_password_form = InitialPasswordForm
    list_display = ["username", "full_name", "email", "organisation", "is_staff", "is_active"]
    search_fields = ["username", "full_name", "email", "organisation__name"]
    autocomplete_fields = ["organisation"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (_("单位"), {"fields": ["full_name", "phone", "organisation"]}),
        (_("安全"), {"fields": ["must_change_password", "sso_subject"]}),
    ]

    def save_model(self, request, obj, form, change):
        if not change and form.cleaned_data.get("password1"):
            obj.must_change_password = True  # created with a password the office chose
        super().save_model(request, obj, form, change)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organisation", "invited_by", "created_at", "accepted_at"]
    readonly_fields = ["organisation", "email", "invited_by", "accepted_at", "accepted_by"]
