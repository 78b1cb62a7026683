"""The HTTP API and web page of hrd-assistant (FastAPI). `create_app()` builds the application."""

from .app import create_app

__all__ = ["create_app"]
