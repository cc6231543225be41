"""Small fixed-window rate limits kept in Django's cache: per client address (the public
certificate check) or per any key (password-reset requests per e-mail address)."""

import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.translation import gettext as _


def client_address(request) -> str:
    # Behind our load balancer the right-most X-Forwarded-For hop is the address the balancer
    # saw; hops to its left are whatever the client wrote and cannot be trusted.
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded and settings.RATELIMIT_TRUST_FORWARDED_FOR:
        return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "unknown")


def client_ip(request) -> str | None:
    """The client address as an IP, or None (django-axes stores it in an IP column: a request
    made without one, like the test client's force_login, must not fail on PostgreSQL)."""
    import ipaddress

    address = client_address(request)
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def hit(scope: str, key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one request of `key` in the current window; False once it is over `limit`."""
    window = int(time.time() // window_seconds)
    cache_key = f"ratelimit:{scope}:{key}:{window}"
    cache.add(cache_key, 0, timeout=window_seconds + 10)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # evicted between add and incr
        cache.set(cache_key, 1, timeout=window_seconds + 10)
        count = 1
    return count <= limit


def rate_limited(scope: str, *, limit_setting: str):
    """Allow `settings.<limit_setting>` requests per minute per client, then answer 429."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            limit = getattr(settings, limit_setting)
            if not hit(scope, client_address(request), limit=limit, window_seconds=60):
                response = HttpResponse(
                    _("Too many requests. Please wait a minute and try again."),
                    status=429,
                    content_type="text/plain; charset=utf-8",
                )
                response["Retry-After"] = str(60 - int(time.time()) % 60)
                return response
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
