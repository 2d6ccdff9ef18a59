"""The web app: server-rendered pages for planners, partners, firms, auditors and the public.

``mount(app, settings)`` adds the pages and their static files to the API's FastAPI app; every
page calls the services (which decide authorization) on behalf of the logged-in actor.
"""

from kuznia.web.app import mount

__all__ = ["mount"]
