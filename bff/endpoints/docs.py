"""The OpenAPI document and an interactive docs page whose assets ship in a package."""

from __future__ import annotations

from pathlib import Path

import swagger_ui_bundle
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles

from bff.http import api_route

ASSETS = Path(swagger_ui_bundle.swagger_ui_path)

PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>KCC BFF API</title>
  <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/assets/swagger-ui-bundle.js"></script>
  <script>
    window.ui = SwaggerUIBundle({url: "/openapi.json", dom_id: "#swagger-ui"});
  </script>
</body>
</html>
"""


async def openapi_document(request: Request) -> Response:
    """The OpenAPI 3.1 document of this BFF."""
    return JSONResponse(request.app.state.openapi)


async def docs_page(request: Request) -> Response:
    """Interactive API documentation."""
    return HTMLResponse(PAGE)


routes: list[BaseRoute] = [
    api_route(
        "GET",
        "/openapi.json",
        openapi_document,
        summary="OpenAPI document",
        tag="operations",
        public=True,
    ),
    api_route("GET", "/docs", docs_page, summary="Interactive docs", tag="operations", public=True),
    Mount("/docs/assets", app=StaticFiles(directory=ASSETS), name="docs-assets"),
]
