"""Who acts: the roles of the mechanism and the actor every use case runs on behalf of."""

from __future__ import annotations

from dataclasses import dataclass

from kuznia.db.enums import Role

__all__ = ["Actor", "Role"]


@dataclass(frozen=True, slots=True)
class Actor:
    """Who acts: a user of an organisation with a role, or the system itself (CLI, imports)."""

    role: Role
    user_id: str | None = None
    organisation_id: str | None = None
    partner_id: str | None = None
    company_id: str | None = None
    label: str = ""

    @classmethod
    def system(cls, label: str = "cli") -> Actor:
        """The operator at the command line: full coordinator rights, named in the audit trail."""
        return cls(role=Role.COORDINATOR, label=f"system:{label}")

    @property
    def name(self) -> str:
        return self.label or self.user_id or "anonymous"
