"""The menu: which pages each role sees (the pages themselves check again)."""

from __future__ import annotations

from dataclasses import dataclass

from kuznia.services.kernel.actors import Actor, Role

C, P, K, A = Role.COORDINATOR, Role.PARTNER, Role.COMPANY, Role.AUDITOR
INV = Role.INVESTOR


def N_(message: str) -> str:  # noqa: N802 - the gettext convention extractors know
    """Mark a message for extraction; it is translated where it is shown."""
    return message


@dataclass(frozen=True, slots=True)
class NavItem:
    href: str
    label: str
    current: bool
    count: int | None = None
    """How many things wait there (the inbox), if any."""


ROLE_LABELS = {
    Role.COORDINATOR: N_("Coordinator"),
    Role.PARTNER: N_("Partner"),
    Role.COMPANY: N_("Company"),
    Role.AUDITOR: N_("Auditor"),
    Role.PUBLIC: N_("Public"),
    Role.INVESTOR: N_("Investor"),
}

MENU: tuple[tuple[str, str, frozenset[Role | None]], ...] = (
    ("/", N_("Overview"), frozenset({None, C, P, K, A, INV})),
    ("/inbox", N_("Inbox"), frozenset({C, P, K, A, INV})),
    ("/flows", N_("Funding flows"), frozenset({None, C, P, K, A, INV})),
    ("/plan", N_("Plan"), frozenset({C, P, A})),
    ("/what-if", N_("What-if"), frozenset({C, P})),
    ("/registries", N_("Registries"), frozenset({C, P, K, A, INV})),
    ("/contracts", N_("Contracts"), frozenset({C, P, K, A})),
    ("/log", N_("Log"), frozenset({C, P, K, A, INV})),
    ("/risk", N_("Resilience"), frozenset({C, P, A})),
    ("/invest", N_("Investment"), frozenset({None, C, P, K, A, INV})),
    ("/jobs", N_("Jobs"), frozenset({C, A})),
)
"""href, label, who sees it (``None``: a visitor who is not logged in)."""


def navigation(actor: Actor | None, path: str, waiting: int | None = None) -> list[NavItem]:
    """The menu of ``actor``'s role; ``waiting`` is the inbox's count."""
    role = actor.role if actor else None
    return [
        NavItem(
            href,
            label,
            path == href or (href != "/" and path.startswith(href)),
            waiting if href == "/inbox" else None,
        )
        for href, label, roles in MENU
        if role in roles
    ]
