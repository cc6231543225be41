from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import views

urlpatterns = [
    path("servants/", views.ServantList.as_view(), name="api_servants"),
    path("records/", views.RecordList.as_view(), name="api_records"),
    path("enrolments/", views.EnrolmentList.as_view(), name="api_enrolments"),
    path("certificates/", views.CertificateList.as_view(), name="api_certificates"),
    path("ratings/", views.RatingImport.as_view(), name="api_ratings"),
    path("completions/", views.CompletionImport.as_view(), name="api_completions"),
    path("schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api_schema"), name="api_docs"),
]
