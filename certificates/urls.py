from django.urls import path

from . import views

# Under i18n_patterns (/<lang>/…).
urlpatterns = [
    path("verify/", views.verify_form, name="certificate_verify_form_localized"),
    path("verify/<str:code>/", views.verify, name="certificate_verify_localized"),
    path("my/certificates/<int:certificate_id>.pdf", views.download, name="certificate_download"),
]
