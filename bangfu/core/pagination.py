"""The one pagination of every API list."""

from ninja import Field, Schema
from ninja.conf import settings as ninja_settings
from ninja.pagination import LimitOffsetPagination


class Pages(LimitOffsetPagination):
    """`?limit=&offset=` → `{"count", "items"}`, with both kept within the database's integers (else 422)."""

    class Input(Schema):
        limit: int = Field(ninja_settings.PAGINATION_PER_PAGE, ge=1, le=2**31 - 1)
        offset: int = Field(0, ge=0, le=2**62)
