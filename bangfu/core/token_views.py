"""The pages of API tokens: a user's own (create, list, revoke) under his account menu, and every user's for the
administrator. Tokens are made and revoked through `core.services`, which writes the change log."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from bangfu.core.forms import TokenForm
from bangfu.core.models import ApiToken
from bangfu.core.services import create_token, revoke_token
from bangfu.core.views import UIView, add_service_errors


class TokenListView(UIView, FormView):
    """The user's own tokens, and the form for a new one, whose key is shown in the answer to it and never again."""

    template_name = "core/tokens.html"
    form_class = TokenForm

    def get_initial(self):
        return {"days": settings.TOKEN_DAYS}

    def form_valid(self, form):
        user = self.request.user
        try:
            token, key = create_token(user, user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        context = self.get_context_data(form=self.get_form_class()(initial=self.get_initial()), new_key=key,
                                        new_token=token)
        response = self.render_to_response(context)
        response["Cache-Control"] = "no-store"  # the key is in this page: no cache, no back button keeps it
        return response

    def get_context_data(self, **kwargs):
        user = self.request.user
        tokens = ApiToken.objects.visible_to(user).filter(user=user)
        return super().get_context_data(tokens=tokens, max_days=settings.TOKEN_MAX_DAYS, **kwargs)


class AllTokensView(UIView, TemplateView):
    """Every user's tokens (or one user's, `?user=NAME`), for the administrator to revoke."""

    template_name = "core/tokens.html"
    permission = "apitoken.manage"

    def get_context_data(self, **kwargs):
        tokens = ApiToken.objects.visible_to(self.request.user).select_related("user")
        if username := self.request.GET.get("user", "").strip():
            tokens = tokens.filter(user__username=username)
        return super().get_context_data(tokens=tokens, all_users=True, username=username, **kwargs)


class RevokeTokenView(UIView, View):
    """Revoke a token (POST): the owner's own or, for the administrator, anyone's; else 404."""

    def post(self, request, pk):
        try:
            token = revoke_token(request.user, pk)
        except ApiToken.DoesNotExist:
            raise Http404(_("Not found, or outside your scope.")) from None
        messages.success(request, _("The API token %(prefix)s… is revoked.") % {"prefix": token.prefix})
        return redirect("token_list" if token.user_id == request.user.pk else "token_all")
