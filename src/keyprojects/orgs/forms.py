from django import forms
from django.contrib.auth.forms import BaseUserCreationForm
from django.utils.translation import gettext_lazy as _

from .credit_code import normalise_credit_code
from .models import Authority, Organisation, User
from .queries import current_county_level_regions


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = [
            "name",
            "credit_code",
            "kind",
            "supervising_department",
            "seat",
            "address",
            "legal_representative",
            "contact_name",
            "contact_phone",
            "contact_email",
        ]
        help_texts = {
            "credit_code": _("18位，见营业执照或登记证书。"),
            # The notice, 一(一): who may be the construction subject (建设主体).
            "kind": _(
                "省内县级以上行政部门、企事业单位或社会团体可作为建设主体申报"
                "（通知一（一））；省级单位和省属企业由主管省级部门审核推荐。"
            ),
            "supervising_department": _("省级单位、省属企业填写其主管省级部门，由该部门审核推荐。"),
            "seat": _("单位注册地所在的县（市、区）；决定由哪一级主管部门审核推荐。"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seat"].queryset = current_county_level_regions()
        self.fields["seat"].empty_label = _("请选择所在县（市、区）")
        self.fields["supervising_department"].queryset = Authority.objects.filter(
            kind=Authority.Kind.DEPARTMENT
        )
        self.fields["supervising_department"].required = False
        self.fields["supervising_department"].empty_label = _("非省级单位无需选择")
        self.fields["kind"].choices = [("", _("请选择单位类型")), *Organisation.Kind.choices]

    def clean_credit_code(self):
        code = normalise_credit_code(self.cleaned_data["credit_code"])
        clash = Organisation.objects.filter(credit_code=code).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(
                _(
                    "该统一社会信用代码已注册。如您是该单位的工作人员，请联系本单位已注册的账号邀请您加入。"
                ),
                code="duplicate",
            )
        return code

    def clean(self):
        cleaned = super().clean()
        kind, department = cleaned.get("kind"), cleaned.get("supervising_department")
        if kind in Organisation.PROVINCIAL_KINDS and not department:
            self.add_error("supervising_department", _("省级单位、省属企业请选择主管省级部门。"))
        if kind and kind not in Organisation.PROVINCIAL_KINDS and department:
            cleaned["supervising_department"] = None
        return cleaned


class AccountForm(BaseUserCreationForm):
    class Meta:
        model = User
        fields = ["username", "full_name", "email", "phone"]
        labels = {"username": _("登录名")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ["full_name", "email", "phone"]:
            self.fields[name].required = True


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("同事的电子邮箱"))
