"""GroupMembers: the e-mail addresses of an engine group's members, read from the identity service.

Read-only and bounded: one ``GET /user?memberOfGroup=…`` of at most ``limit`` users (a unit is far
smaller), through the client's timeout and bounded retries. Members without a usable address are skipped.
"""

from __future__ import annotations

from domain.config import EngineSettings
from domain.engine.client import EngineClient

MAX_MEMBERS = 200


def usable_address(raw: object) -> str | None:
    """The address stripped, or None when it is blank or could not be one (no @, spaces, line breaks)."""
    if not isinstance(raw, str):
        return None
    address = raw.strip()
    if "@" not in address or any(c.isspace() for c in address) or len(address) > 254:
        return None
    return address


class GroupMembers:
    def __init__(self, client: EngineClient, limit: int = MAX_MEMBERS) -> None:
        self.client = client
        self.limit = limit

    @classmethod
    def as_service(cls, settings: EngineSettings) -> GroupMembers:
        """Read as the application's service account (it may read users and groups)."""
        return cls(EngineClient.as_service(settings))

    def emails(self, group_id: str) -> list[str]:
        """The e-mail addresses of the group's members, each once, in the order of their user ids.

        Raise an EngineError when the engine cannot answer (the caller retries later).
        """
        users = self.client.get(
            "/user", memberOfGroup=group_id, sortBy="userId", sortOrder="asc", firstResult=0, maxResults=self.limit
        )
        found = (usable_address(user.get("email")) for user in users)
        return list(dict.fromkeys(address for address in found if address))
