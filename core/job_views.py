"""The page of a background job (core.jobs) and the figures it polls. Only the user who
started the job, or a superuser, may see either."""

from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from .backoffice import AdminPage
from .jobs import job_kind
from .models import BackgroundJob, JobState


def _job_for(request, job_id: int) -> BackgroundJob:
    from django.core.exceptions import PermissionDenied

    job = get_object_or_404(BackgroundJob, pk=job_id)
    user = request.user
    if not (user.is_superuser or job.owner_id == user.pk):
        raise PermissionDenied
    return job


def last_news(job: BackgroundJob) -> str:
    """When the worker last wrote to the job, in local time (a queued job: not picked up)."""
    if job.state == JobState.QUEUED:
        return str(_("not picked up yet"))
    return formats.date_format(timezone.localtime(job.updated_at), "d.m.Y H:i:s")


def job_figures(job: BackgroundJob) -> dict:
    """What the job's page shows and polls. `updated` is the last news from the worker, as
    the page shows it; `stalled`, whether that was too long ago (BackgroundJob.is_stalled)."""
    return {
        "state": job.state,
        "state_label": str(job.get_state_display()),
        "total": job.total,
        "done": job.done,
        "failed": job.failed,
        "remaining": job.remaining,
        "finished": job.is_finished,
        "stalled": job.is_stalled(),
        "updated": last_news(job),
    }


class JobView(AdminPage):
    template_name = "core/admin/job.html"
    page_title = gettext_lazy("Background job")
    header_icon = "time"

    def dispatch(self, request, *args, **kwargs):
        self.job = _job_for(request, kwargs["job_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return str(job_kind(self.job.kind).label)

    def get_page_subtitle(self):
        return self.job.subject

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            job=self.job,
            kind=job_kind(self.job.kind),
            figures=job_figures(self.job),
            stalled_minutes=int(BackgroundJob.STALLED_AFTER.total_seconds() // 60),
            status_url=reverse("core_job_status", args=[self.job.pk]),
        )
        return context


def job_status(request, job_id: int):
    """The job's counts as JSON, for its page to poll (never cached)."""
    response = JsonResponse(job_figures(_job_for(request, job_id)))
    response["Cache-Control"] = "no-store"
    return response
