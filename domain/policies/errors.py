"""Errors of the policy catalogue."""


class PolicyNotFound(Exception):
    """No published policy has this code."""

    def __init__(self, code: str) -> None:
        super().__init__(f"政策编码 “{code}” 不存在或未发布。")
        self.code = code


class PolicyMisconfigured(Exception):
    """The policy exists but cannot be routed (e.g. its department is not a known group)."""
