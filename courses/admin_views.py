"""A base for the academy's admin pages about one session (results, issuing, cancelling)."""

from django.shortcuts import get_object_or_404

from core.backoffice import AdminPage
from people.authorization import may_run_sessions, require

from .models import Session


class SessionAdminPage(AdminPage):
    """Academy managers only; `self.session` is the session named in the URL (`session_id`),
    loaded from `session_queryset()`."""

    def session_queryset(self):
        return Session.objects.select_related("programme")

    def dispatch(self, request, *args, **kwargs):
        require(may_run_sessions(request.user))
        self.session = get_object_or_404(self.session_queryset(), pk=kwargs["session_id"])
        return super().dispatch(request, *args, **kwargs)
