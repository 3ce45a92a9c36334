"""The OpenAPI document and an interactive docs page whose assets ship in a package.

The page is Swagger UI 5 (it reads OpenAPI 3.1), served from the static files of the
`swagger-ui-py` package: nothing is fetched from the internet, and the validator badge
(which would call an outside service) is off.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles

from bff.http import api_route

ASSETS = Path(str(files("swagger_ui") / "static"))

PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>KCC BFF API</title>
  <link rel="icon" type="image/png" href="/docs/assets/favicon-32x32.png">
  <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/assets/swagger-ui-bundle.js"></script>
  <script>
    window.ui = SwaggerUIBundle({
      url: "/openapi.json",
      dom_id: "#swagger-ui",
      validatorUrl: null,
      deepLinking: true,
    });
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
