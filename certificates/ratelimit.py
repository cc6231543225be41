"""A small fixed-window rate limit per client address, kept in Django's cache."""

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


def rate_limited(scope: str, *, limit_setting: str):
    """Allow `settings.<limit_setting>` requests per minute per client, then answer 429."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            limit = getattr(settings, limit_setting)
            window = int(time.time() // 60)
            key = f"ratelimit:{scope}:{client_address(request)}:{window}"
            cache.add(key, 0, timeout=70)
            try:
                count = cache.incr(key)
            except ValueError:  # evicted between add and incr
                cache.set(key, 1, timeout=70)
                count = 1
            if count > limit:
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
