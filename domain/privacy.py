"""Personal and payment data as logs may show it: masked, so a log file never carries a whole number."""

from __future__ import annotations


def mask_phone(phone: str | None) -> str:
    """13800001234 → 138****1234."""
    digits = (phone or "").strip()
    return f"{digits[:3]}****{digits[-4:]}" if len(digits) >= 8 else "****"


def mask_account(account: str | None) -> str:
    """6228480012345678 → ****5678."""
    digits = (account or "").replace(" ", "")
    return f"****{digits[-4:]}" if len(digits) >= 4 else "****"
