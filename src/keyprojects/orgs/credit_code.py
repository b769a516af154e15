"""统一社会信用代码 (GB 32100-2015), checked with python-stdnum's maintained validator."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_errors
from stdnum.cn import uscc


def normalise_credit_code(value: str) -> str:
    return uscc.compact(value or "")


def validate_credit_code(value: str) -> None:
    code = normalise_credit_code(value)
    try:
        uscc.validate(code)
    except stdnum_errors.InvalidLength:
        raise ValidationError(
            _("统一社会信用代码应为18位，当前为%(n)d位。"), code="length", params={"n": len(code)}
        ) from None
    except stdnum_errors.InvalidChecksum:
        raise ValidationError(
            _("统一社会信用代码校验位不正确，请核对营业执照或登记证书上的代码。"), code="checksum"
        ) from None
    except stdnum_errors.ValidationError:
        raise ValidationError(
            _("统一社会信用代码格式不正确：只能由数字和大写字母（不含I、O、S、V、Z）组成。"),
            code="format",
        ) from None
