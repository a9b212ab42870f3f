import pytest

from app.registers.enterprises.validators import is_valid_uscc, uscc_check_char


@pytest.mark.parametrize("code", [
    "91350100M000100Y43",   # published example codes with correct check characters
    "91110000600037341L",
    "91310000775785552L",
])
def test_real_codes_are_valid(code):
    assert is_valid_uscc(code)


@pytest.mark.parametrize("code", [
    "91350100M000100Y44",   # wrong check character
    "91350100M000100Y4",    # too short
    "91350100M000100Y43X",  # too long
    "9135010OM000100Y43",   # letter O is not in the charset
    "91ABCDEFM000100Y43",   # division code must be digits
    "",
])
def test_bad_codes_are_invalid(code):
    assert not is_valid_uscc(code)


def test_lowercase_and_spaces_are_normalised():
    assert is_valid_uscc(" 91350100m000100y43 ")


def test_check_char_is_computed_per_gb32100():
    assert uscc_check_char("91350100M000100Y4") == "3"
