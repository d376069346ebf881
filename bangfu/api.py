"""The API object: `/api/v1/`, OpenAPI at `/api/v1/openapi.json`, with every router the apps registered."""

from ninja.security import SessionAuth

from bangfu.core.api import Api, BearerToken, install_error_handlers
from bangfu.core.registry import registry

api = Api(
    title="bangfu API",
    version="1",
    description="Paired assistance (对口帮扶 / 东西部协作): regions, organisations, pairings. See docs/api.md.",
    auth=[BearerToken(), SessionAuth()],
    urls_namespace="api",
)
install_error_handlers(api)
for prefix, router in registry["api_routers"]:
    api.add_router(prefix, router)
