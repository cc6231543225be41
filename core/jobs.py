"""Background jobs a user starts, and the page that follows them.

A screen that hands work to the task worker (`django.tasks`) creates a `BackgroundJob` with
`job_create`, passes its id to the task and sends the user to the job's page
(`core_job`, core.job_views). The task reports through a `JobTracker`: the count to do, each
item done or failed, then done (or failed, with the error). The page shows the counts as they
move and, when the job is over, links to its result.

The words of each kind of job (what it is called, what its items are called, where its result
is) are registered by the app that owns the work (`register_job_kind`, in its AppConfig.ready),
so core names no other app. Every write is a single-row UPDATE outside any transaction of the
task's: the page sees each count as soon as it is written."""

import dataclasses
import time
from contextlib import contextmanager

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import BackgroundJob, JobState


@dataclasses.dataclass(frozen=True)
class JobKind:
    """How a kind of job reads on its page (lazy translations: rendered in the reader's
    language)."""

    label: str
    done_label: str = _("done")
    remaining_label: str = _("still to do")
    failed_label: str = _("failed")
    result_label: str = _("Open the result")
    download_label: str = _("Download")
    # What to do about a job whose worker stopped in the middle (it does not resume by itself).
    restart_help: str = _("If it has stopped, start the job again from the screen you began it on.")


_KINDS: dict[str, JobKind] = {}
_UNKNOWN = JobKind(label=_("Background job"))


def register_job_kind(code: str, kind: JobKind) -> None:
    _KINDS[code] = kind


def job_kind(code: str) -> JobKind:
    return _KINDS.get(code, _UNKNOWN)


def job_create(
    *,
    kind: str,
    owner,
    subject: str = "",
    total: int = 0,
    result_url: str = "",
    download_url: str = "",
) -> BackgroundJob:
    """A job waiting for the worker; `total` is what the user was told would be done."""
    return BackgroundJob.objects.create(
        kind=kind,
        owner=owner,
        subject=subject[:255],
        total=total,
        result_url=result_url,
        download_url=download_url,
    )


class JobTracker:
    """What a task tells its job. With no job (`job_id` None: a command, an operator's
    re-run) every call does nothing. Counts are written at most every `interval` seconds,
    and always at the end."""

    def __init__(self, job_id: int | None, *, interval: float = 0.25):
        self.job_id = job_id
        self.interval = interval
        self.done = 0
        self.failed = 0
        self.total: int | None = None
        self._written_at = 0.0

    def _update(self, **fields) -> None:
        if self.job_id is not None:
            BackgroundJob.objects.filter(pk=self.job_id).update(updated_at=timezone.now(), **fields)

    def start(self) -> None:
        if self.job_id is not None:
            BackgroundJob.objects.filter(pk=self.job_id).update(
                state=JobState.RUNNING, updated_at=timezone.now()
            )

    def progress(self, processed: int, total: int) -> None:
        """`processed` items of `total` are through (done or failed)."""
        self.total = total
        self.done = processed - self.failed
        now = time.monotonic()
        if processed == total or now - self._written_at >= self.interval:
            self._written_at = now
            self._update(total=total, done=self.done, failed=self.failed)

    def item_failed(self, *args) -> None:
        self.failed += 1

    def finish(self, *, error: str = "") -> None:
        fields = {"done": self.done, "failed": self.failed, "finished_at": timezone.now()}
        if self.total is not None:
            fields["total"] = self.total
        elif not error:
            fields["total"] = 0  # nothing was left to do (another run did it meanwhile)
        self._update(state=JobState.FAILED if error else JobState.DONE, error=error, **fields)


@contextmanager
def tracked(job_id: int | None):
    """Run a task's work as the job `job_id`: running, then done; failed (with the error) if
    it raises, and the error goes on to the task backend."""
    tracker = JobTracker(job_id)
    tracker.start()
    try:
        yield tracker
    except Exception as error:
        tracker.finish(error=str(error) or error.__class__.__name__)
        raise
    tracker.finish()
