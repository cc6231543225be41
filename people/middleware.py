from django.core.exceptions import PermissionDenied

from .scoping import sees_all_agencies

# Wagtail's site-wide history lists every logged change (labels carry people's names) with
# no notion of agencies: only roles that see every agency may open it. Everyone else uses the
# per-object history, which is scoped.
REGION_WIDE_ADMIN_PATHS = ("/admin/reports/site-history/",)


class RegionWideReportsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(REGION_WIDE_ADMIN_PATHS):
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated and not sees_all_agencies(user):
                raise PermissionDenied
        return self.get_response(request)
