"""The HTTP API (FastAPI): routes call the services, which decide who may do what."""

from kuznia.api.app import ROUTERS, create_app

__all__ = ["ROUTERS", "create_app"]
