"""API tokens in the admin: the office issues (secret shown once) and revokes; nothing is
edited or deleted, so the audit trail and the token list always agree."""

from django import forms
from django.contrib import admin, messages
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from keyprojects.applications.workflow import TransitionRefused
from keyprojects.core.clock import now

from . import tokens
from .models import ApiToken, Scope


class ApiTokenAddForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label=_("权限范围"), choices=Scope.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = ApiToken
        fields = ["name", "authority", "scopes", "expires_at"]

    def clean_expires_at(self):
        value = self.cleaned_data["expires_at"]
        at = now()
        if value <= at:
            raise forms.ValidationError(_("有效期须晚于当前时间。"))
        if value > at + tokens.MAX_LIFETIME:
            raise forms.ValidationError(_("令牌有效期最长两年，到期后请重新申请。"))
        return value


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "prefix",
        "authority",
        "scopes",
        "created_by",
        "created_at",
        "expires_at",
        "revoked_at",
        "last_used_at",
    ]
    list_filter = ["authority"]
    search_fields = ["name", "prefix"]
    readonly_fields = [
        "name",
        "prefix",
        "authority",
        "scopes",
        "created_by",
        "created_at",
        "expires_at",
        "revoked_at",
        "revoked_by",
        "last_used_at",
    ]
    actions = ["revoke_selected"]

    def _manages(self, request):
        return request.user.has_perm("api.manage_tokens")

    def has_module_permission(self, request):
        return self._manages(request)

    def has_view_permission(self, request, obj=None):
        return self._manages(request)

    def has_add_permission(self, request):
        return self._manages(request)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = ApiTokenAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

    def get_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else ApiTokenAddForm.Meta.fields

    def save_model(self, request, obj, form, change):
        if change:
            return
        token, secret = tokens.issue(
            name=form.cleaned_data["name"],
            authority=form.cleaned_data["authority"],
            scopes=form.cleaned_data["scopes"],
            expires_at=form.cleaned_data["expires_at"],
            by=request.user,
        )
        for field in ApiToken._meta.concrete_fields:
            setattr(obj, field.attname, getattr(token, field.attname))
        obj._state.adding, obj._state.db = False, token._state.db
        request._api_token_secret = secret

    def response_add(self, request, obj, post_url_continue=None):
        # The secret is in this response only: never stored, never put in a message.
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "token": obj,
            "secret": request._api_token_secret,
            "title": _("令牌已签发"),
        }
        return render(request, "api/admin_token_created.html", context)

    @admin.action(description=_("吊销所选令牌"))
    def revoke_selected(self, request, queryset):
        revoked = 0
        for token in queryset.filter(revoked_at__isnull=True):
            try:
                tokens.revoke(token, by=request.user, reason=str(_("在管理后台吊销")))
            except TransitionRefused:
                continue  # revoked meanwhile by someone else
            revoked += 1
        self.message_user(
            request,
            ngettext("已吊销 %(n)d 个令牌。", "已吊销 %(n)d 个令牌。", revoked) % {"n": revoked},
            messages.SUCCESS,
        )
