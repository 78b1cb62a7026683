"""/docs: Swagger UI from assets installed with a package (`fastapi-offline` ships them), no CDN.

The page loads /docs-assets/swagger-ui.css and swagger-ui-bundle.js and starts the UI from
/static/docs-init.js, so its CSP needs no inline script.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

PAGE = """<!doctype html>
<html lang="ko"><head><meta charset="utf-8"><title>hrd-assistant API 문서</title>
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/docs-assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/docs-assets/swagger-ui-bundle.js"></script>
<script src="/static/docs-init.js"></script></body></html>
"""


def assets_dir() -> Path | None:
    """The folder holding swagger-ui-bundle.js and swagger-ui.css, or None when the package is missing."""
    spec = importlib.util.find_spec("fastapi_offline")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "static"
    return folder if (folder / "swagger-ui-bundle.js").exists() else None


def install(app: FastAPI) -> None:
    folder = assets_dir()
    if folder is None:
        return
    app.mount("/docs-assets", StaticFiles(directory=folder), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return HTMLResponse(PAGE)
