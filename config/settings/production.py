"""Production: every secret comes from the environment; insecure defaults are refused."""

import os

from django.core.exceptions import ImproperlyConfigured
from whitenoise.compress import Compressor

from .base import *  # noqa: F403
from .base import env_bool, env_database, env_int, env_list, env_str

DEBUG = False
SECRET_KEY = env_str("SECRET_KEY", required=True)
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure"):
    raise ImproperlyConfigured(
        "SECRET_KEY must be a random string of at least 50 characters with at least "
        "5 distinct characters (python -c 'import secrets; print(secrets.token_urlsafe(64))')."
    )
# Rotation: the new key signs; old ones listed here (comma-separated) are still accepted, so
# sessions, password-reset links and signed values survive until they expire (docs/security.md).
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must list the site's host names, comma-separated.")
# Persistent connections: opening one per request costs more than the request itself.
os.environ.setdefault("DB_CONN_MAX_AGE", "60")
DATABASES = {"default": env_database("DATABASE_URL")}
if env_str("DATABASE_REPLICA_URL"):  # reports and exports read it (config/routers.py)
    DATABASES["replica"] = env_database("DATABASE_REPLICA_URL")
REPORTS_DATABASE = "replica" if "replica" in DATABASES else "default"

# Behind the load balancer: the client address for rate limits comes from X-Forwarded-For.
RATELIMIT_TRUST_FORWARDED_FOR = env_bool("RATELIMIT_TRUST_FORWARDED_FOR", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# Load balancers probe the web processes directly over http: /healthz answers, not redirects.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
# Secure cookies are only sent over https (loopback aside, for some clients): `make serve-prod`
# (plain http on 127.0.0.1) turns them off; a deployment keeps them on.
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", required=True)
_EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
_EMAIL_OPTIONS = {}
if _EMAIL_BACKEND.endswith("smtp.EmailBackend"):
    _EMAIL_OPTIONS = {
        "host": env_str("EMAIL_HOST", "localhost"),
        "port": env_int("EMAIL_PORT", 587),
        "username": env_str("EMAIL_HOST_USER", ""),
        "password": env_str("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", True),
    }
elif _EMAIL_BACKEND.endswith("filebased.EmailBackend"):
    # No mail server (make serve-prod, the smoke test): one file per message in a folder.
    _EMAIL_OPTIONS = {"file_path": env_str("EMAIL_FILE_PATH", required=True)}
MAILERS = {"default": {"BACKEND": _EMAIL_BACKEND, "OPTIONS": _EMAIL_OPTIONS}}
TASKS = {"default": {"BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
# A cache shared by all web processes (rate limits): the database cache by default (its table
# is created by the migration cms/0002, so `migrate` is the only step), or e.g.
# CACHE_BACKEND=django.core.cache.backends.redis.RedisCache with CACHE_LOCATION.
CACHES = {
    "default": {
        "BACKEND": env_str("CACHE_BACKEND", "django.core.cache.backends.db.DatabaseCache"),
        "LOCATION": env_str("CACHE_LOCATION", "biliktilik_cache"),
    }
}
# Static files with hashed names and pre-compressed copies, served by the app itself
# (whitenoise): no separate static server is needed behind the balancer.
MIDDLEWARE = [
    *MIDDLEWARE[:1],  # noqa: F405 (SecurityMiddleware first)
    "whitenoise.middleware.WhiteNoiseMiddleware",
    *MIDDLEWARE[1:],  # noqa: F405
]
# Source maps (the API docs' bundles bring 6 MB) are for developer tools only: compressing them
# would double collectstatic's time for nothing.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
    },
}
