from django.urls import path

from . import views

urlpatterns = [
    path(
        "my/nominations/<int:nomination_id>/withdraw/",
        views.withdrawal_request,
        name="nomination_withdrawal_request",
    ),
]
