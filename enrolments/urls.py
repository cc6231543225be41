from django.urls import path

from . import views

urlpatterns = [
    path("sessions/<int:session_id>/enrol/", views.enrol, name="enrol"),
    path("my/enrolments/<int:enrolment_id>/withdraw/", views.withdraw, name="withdraw"),
    path("my/calendar/link/", views.calendar_link, name="calendar_link"),
    path("my/calendar/<str:token>.ics", views.my_calendar, name="my_calendar"),
    path("sessions.ics", views.sessions_ics, name="sessions_ics"),
]
