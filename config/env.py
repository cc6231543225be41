"""Reading settings from environment variables, with errors that say what is wrong."""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None, *, required: bool = False) -> str | None:
    value = os.environ.get(name)
    if value is None or value == "":
        if required:
            raise ImproperlyConfigured(f"Environment variable {name} must be set.")
        return default
    return value


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"Environment variable {name}={value!r} is not a boolean: use 1/0, true/false, yes/no."
    )


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(
            f"Environment variable {name}={value!r} is not a whole number."
        ) from None


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


def env_database(name: str = "DATABASE_URL", default: str | None = None) -> dict:
    import dj_database_url

    url = env_str(name, default, required=default is None)
    try:
        # Health checks: a kept connection that died (database restarted) is replaced
        # instead of failing the next request.
        config = dj_database_url.parse(
            url, conn_max_age=env_int("DB_CONN_MAX_AGE", 0), conn_health_checks=True
        )
    except (ValueError, KeyError) as exc:
        raise ImproperlyConfigured(
            f"Environment variable {name} is not a database URL we can use ({exc}). "
            "Examples: sqlite:///db.sqlite3, postgres://user:password@host:5432/name"
        ) from None
    if config.get("ENGINE") not in {
        "django.db.backends.sqlite3",
        "django.db.backends.postgresql",
    }:
        raise ImproperlyConfigured(
            f"Environment variable {name} names an unsupported database "
            f"({config.get('ENGINE')}); use sqlite:// or postgres://."
        )
    if config["ENGINE"] == "django.db.backends.postgresql":
        # An unreachable server fails fast (and /healthz answers 503) instead of hanging.
        config.setdefault("OPTIONS", {}).setdefault(
            "connect_timeout", env_int("DB_CONNECT_TIMEOUT", 5)
        )
    return config
