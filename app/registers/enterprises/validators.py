"""Unified social credit code (统一社会信用代码), GB 32100-2015."""
from __future__ import annotations

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, Z, S, V
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def uscc_check_char(first17: str) -> str:
    total = sum(CHARSET.index(ch) * w for ch, w in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def normalize_uscc(value: str | None) -> str:
    return (value or "").strip().upper()


def is_valid_uscc(value: str | None) -> bool:
    code = normalize_uscc(value)
    if len(code) != 18 or any(ch not in CHARSET for ch in code):
        return False
    if not code[2:8].isdigit():  # administrative division code
        return False
    return uscc_check_char(code[:17]) == code[17]
