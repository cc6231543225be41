"""Login lockout answer (django-axes) and the throttled password reset (docs/security.md)."""

import math

from django.conf import settings
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm
from wagtail.admin.views import account

from core.ratelimit import client_address, hit


class LoginForm(WagtailLoginForm):
    """WAGTAILADMIN_USER_LOGIN_FORM: Wagtail's login form with a label on its password field.
    Wagtail leaves it unlabelled, and Django then shows the field's name, "Password", in
    English whatever the reader's language (issue 14)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = gettext_lazy("Password")


def lockout_message() -> str:
    minutes = math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60)
    return _(
        "Too many failed attempts to log in to this account from your address. Logging in is "
        "blocked for %(minutes)s minutes; try again later or ask an administrator to unlock it."
    ) % {"minutes": minutes}


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the same login page (public or Wagtail's), in the user's
    language, with the lockout as the form's error; status 429."""
    context = dict(getattr(original_response, "context_data", None) or {})
    form = context.get("form")
    template = getattr(original_response, "template_name", None)
    if form is None or template is None:
        return TemplateResponse(
            request, "cms/locked_out.html", {"message": lockout_message()}, status=429
        ).render()
    form.errors.clear()
    form.add_error(None, lockout_message())
    return TemplateResponse(request, template, context, status=429).render()


class PasswordResetView(account.PasswordResetView):
    """Wagtail's password reset, throttled per e-mail address and per client: beyond the
    limits it gives the same answer ("if the address is known, a message was sent") but
    sends nothing, so the throttle reveals nothing either."""

    def form_valid(self, form):
        address = form.cleaned_data["email"].strip().casefold()
        allowed = hit(
            "password-reset-client",
            client_address(self.request),
            limit=settings.PASSWORD_RESET_PER_CLIENT_PER_HOUR,
            window_seconds=3600,
        ) and hit(
            "password-reset-address",
            address,
            limit=settings.PASSWORD_RESET_PER_ADDRESS_PER_HOUR,
            window_seconds=3600,
        )
        if not allowed:
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)
