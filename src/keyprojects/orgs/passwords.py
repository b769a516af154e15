"""The password policy (等保2.0 身份鉴别): long, of mixed kinds, not the user name, and not
one of the user's last five. Plugged in through AUTH_PASSWORD_VALIDATORS, so every place
Django sets a password (registration, change, reset, invitation) applies it."""

import re

from django.contrib.auth.hashers import check_password
from django.contrib.auth.password_validation import MinimumLengthValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

KINDS = [
    (re.compile(r"[A-Z]"), "大写字母"),
    (re.compile(r"[a-z]"), "小写字母"),
    (re.compile(r"[0-9]"), "数字"),
    (re.compile(r"[^A-Za-z0-9]"), "符号"),
]
HISTORY = 5


class LengthValidator(MinimumLengthValidator):
    """Django's, with the message in Chinese (its zh-Hans catalogue lacks the new wording)."""

    def get_error_message(self):
        return _("密码太短，至少包含 %(min_length)d 个字符。") % {"min_length": self.min_length}

    def get_help_text(self):
        return _("密码至少包含 %(min_length)d 个字符。") % {"min_length": self.min_length}


class ComplexityValidator:
    """At least three of: upper-case letters, lower-case letters, digits, symbols."""

    def validate(self, password, user=None):
        if sum(1 for pattern, _name in KINDS if pattern.search(password)) < 3:
            raise ValidationError(
                _("密码须包含大写字母、小写字母、数字、符号中的至少三类。"), code="too_simple"
            )

    def get_help_text(self):
        return _("密码须包含大写字母、小写字母、数字、符号中的至少三类。")


class NotUsernameValidator:
    def validate(self, password, user=None):
        username = (getattr(user, "username", "") or "").lower()
        if username and len(username) >= 3 and username in password.lower():
            raise ValidationError(_("密码不能包含登录名。"), code="contains_username")

    def get_help_text(self):
        return _("密码不能包含登录名。")


class HistoryValidator:
    """Not one of the last five passwords; remembers each new one (hashed)."""

    def validate(self, password, user=None):
        if user is None or user.pk is None:
            return
        from .models import PasswordHistory

        for old in PasswordHistory.objects.filter(user=user).order_by("-created_at")[:HISTORY]:
            if check_password(password, old.password):
                raise ValidationError(
                    _("不能使用最近 %(n)d 次用过的密码。") % {"n": HISTORY}, code="reused"
                )

    def password_changed(self, password, user=None):
        if user is None or user.pk is None:
            return
        from .models import PasswordHistory

        PasswordHistory.objects.create(user=user, password=user.password)
        history = PasswordHistory.objects.filter(user=user)
        keep = list(history.order_by("-created_at").values_list("pk", flat=True)[:HISTORY])
        history.exclude(pk__in=keep).delete()

    def get_help_text(self):
        return _("不能使用最近 %(n)d 次用过的密码。") % {"n": HISTORY}
