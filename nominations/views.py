"""The nominated person's side: ask to be withdrawn (from My learning)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .models import Nomination


@login_required
@require_POST
def withdrawal_request(request: HttpRequest, nomination_id: int) -> HttpResponse:
    nomination = get_object_or_404(
        Nomination.objects.select_related("servant", "session"),
        pk=nomination_id,
        servant__user=request.user,
    )
    try:
        services.withdrawal_request(
            nomination=nomination, actor=request.user, reason=request.POST.get("reason", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionDenied:
        raise Http404 from None
    else:
        messages.success(request, _("Your request to be withdrawn was sent to HR."))
    return redirect(reverse("my_learning") + "#nominations-h")
