"""What every page needs, built once when the web app is mounted."""

from __future__ import annotations

from dataclasses import dataclass, field

from kuznia.services.contracting.inbox import WaitingCache
from kuznia.services.identity.sessions import SessionPolicy
from kuznia.services.kernel.database import Database
from kuznia.services.planning.views import PlanCache
from kuznia.settings import Environment, Settings
from kuznia.web.templating import Templates


@dataclass(frozen=True)
class WebState:
    """What every page needs, built once when the app starts (never at import time)."""

    settings: Settings
    database: Database
    templates: Templates
    plans: PlanCache
    policy: SessionPolicy
    inbox: WaitingCache = field(default_factory=WaitingCache)
    """The inbox counts the navigation shows, until the next write."""

    @property
    def secure_cookies(self) -> bool:
        return self.settings.environment is Environment.PRODUCTION
