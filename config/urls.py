from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from certificates import views as certificate_views
from cms import accounts as cms_accounts
from cms import views as cms_views

handler500 = "config.middleware.server_error"

urlpatterns = [
    path("healthz", cms_views.healthz, name="healthz"),
    path("verify/", certificate_views.verify_form, name="certificate_verify_form"),
    path("favicon.ico", cms_views.favicon, name="favicon"),
    path("robots.txt", cms_views.robots_txt, name="robots_txt"),
    path("a11y/low-vision/", cms_views.low_vision, name="low_vision"),
    path("verify/<str:code>/", certificate_views.verify, name="certificate_verify"),
    # Wagtail's password reset, throttled per address and per client (cms/accounts.py).
    path("admin/password_reset/", cms_accounts.PasswordResetView.as_view()),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("api.urls")),
]

urlpatterns += i18n_patterns(
    path("programmes/", cms_views.catalog, name="catalog"),
    path("programmes/<str:code>/", cms_views.programme_detail, name="programme_detail"),
    path("my/", cms_views.my_learning, name="my_learning"),
    path(
        "my/transcript.<str:fmt>",
        cms_views.my_transcript,
        name="my_transcript",
    ),
    path("", include("enrolments.urls")),
    path("", include("nominations.urls")),
    path("", include("certificates.urls")),
    path("", include("notifications.urls")),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(template_name="cms/login.html"),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns = (
        staticfiles_urlpatterns()
        + static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
        + urlpatterns
    )
