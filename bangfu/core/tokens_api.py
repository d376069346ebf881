"""API tokens in the API: a user lists and revokes his own (a superuser anyone's). New ones are made on the web page
or the command line only, after a password login: a stolen token cannot mint itself a successor."""

from datetime import datetime

from ninja import Router, Schema
from ninja.pagination import paginate

from bangfu.core.models import ApiToken
from bangfu.core.pagination import Pages
from bangfu.core.services import revoke_token

router = Router(tags=["tokens"])


class ApiTokenOut(Schema):
    id: int
    user: str
    name: str
    prefix: str
    created: datetime
    expires: datetime
    last_used: datetime | None
    expired: bool

    @staticmethod
    def resolve_user(token):
        return token.user.get_username()


@router.get("", response=list[ApiTokenOut])
@paginate(Pages)
def list_tokens(request, user: str | None = None):
    """The caller's tokens, newest first; a superuser sees everyone's, or one user's with `user=NAME`."""
    tokens = ApiToken.objects.visible_to(request.user).select_related("user")
    return tokens.filter(user__username=user) if user else tokens


@router.delete("/{token_id}", response={204: None})
def revoke(request, token_id: int):
    """Revoke a token at once: its key is refused from now on (404 for another user's token)."""
    revoke_token(request.user, token_id)
    return 204, None
