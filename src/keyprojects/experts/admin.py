from django import forms
from django.contrib import admin
from django.db.models import Q

from keyprojects.core.crypto import digest

from .models import AssignmentRun, ConflictDeclaration, Expert, ReviewPlan


class ReviewPlanForm(forms.ModelForm):
    class Meta:
        model = ReviewPlan
        fields = ["call", "experts_per_application", "max_per_expert", "blind", "rubric"]

    def clean_rubric(self):
        from keyprojects.scoring.rubric import normalised  # scoring builds on experts

        rubric = self.cleaned_data["rubric"]
        return normalised(rubric) if rubric else rubric  # empty: the 2020 default applies


@admin.register(Expert)
class ExpertAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation_name", "city", "is_active", "user"]
    list_filter = ["is_active", "city"]
    # Phone and e-mail are encrypted (the database cannot search them): a whole address or
    # number is matched through its digest instead.
    search_fields = ["name", "organisation_name", "organisation_credit_code"]
    raw_id_fields = ["user"]

    def get_search_results(self, request, queryset, search_term):
        found, duplicates = super().get_search_results(request, queryset, search_term)
        key = digest(search_term)
        if key:
            found |= queryset.filter(Q(email_digest=key) | Q(phone_digest=key))
        return found, duplicates


@admin.register(ReviewPlan)
class ReviewPlanAdmin(admin.ModelAdmin):
    """Where the office edits a call's rubric (JSON: code, title, weight, min, max);
    a round freezes the rubric when it opens, so later edits never change given scores."""

    form = ReviewPlanForm
    list_display = ["call", "experts_per_application", "max_per_expert", "blind"]


@admin.register(ConflictDeclaration)
class ConflictDeclarationAdmin(admin.ModelAdmin):
    list_display = ["expert", "application", "organisation_credit_code", "source", "created_at"]
    list_filter = ["source"]
    search_fields = ["expert__name", "organisation_credit_code", "reason"]
    raw_id_fields = ["expert", "application"]

    # Declarations are made and withdrawn through the pages, which record events.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AssignmentRun)
class AssignmentRunAdmin(admin.ModelAdmin):
    list_display = ["call", "created_at", "created_by"]
    readonly_fields = ["call", "parameters", "result", "created_by", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
