import pytest
from django.core.exceptions import ValidationError

from keyprojects.orgs.credit_code import validate_credit_code


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91110000600037341L", "91350100m000100y43"])
def test_valid_codes(code):
    validate_credit_code(code)  # accepted as it stands...
    tampered = code[:17] + ("0" if code[17].upper() != "0" else "1")
    with pytest.raises(ValidationError) as error:  # ...and one changed character is caught
        validate_credit_code(tampered)
    assert error.value.code == "checksum"


@pytest.mark.parametrize(
    ("code", "error_code"),
    [
        ("91350100M000100Y4Z", "format"),  # Z is not in the 31-character set
        ("91350100M000100Y44", "checksum"),
        ("9132058MA1MY4QB7", "length"),
        ("", "length"),
    ],
)
def test_invalid_codes(code, error_code):
    with pytest.raises(ValidationError) as error:
        validate_credit_code(code)
    assert error.value.code == error_code
