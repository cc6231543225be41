from django.urls import path
from wagtail import hooks

from . import job_views


@hooks.register("register_admin_urls")
def register_job_urls():
    return [
        path("jobs/<int:job_id>/", job_views.JobView.as_view(), name="core_job"),
        path("jobs/<int:job_id>/status/", job_views.job_status, name="core_job_status"),
    ]
