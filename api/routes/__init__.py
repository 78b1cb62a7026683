"""One router per resource; `api.app.create_app` includes them under /api/v1."""
