import copy

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

# A stand-in for the read replica: a separate test database that nothing replicates into, so a
# test can prove which database a report read (tests/test_replica.py). The suite runs as a
# deployment without a replica (reports read the primary); the replica tests switch
# REPORTS_DATABASE to "replica" and declare both databases. Its tables are made from the
# models, not by migrations: data migrations write through the router (to the primary).
DATABASES["replica"] = copy.deepcopy(DATABASES["default"])  # noqa: F405
DATABASES["replica"]["TEST"] = {"MIGRATE": False}  # noqa: F405
if DATABASES["replica"]["ENGINE"].endswith("postgresql"):  # noqa: F405
    DATABASES["replica"]["TEST"]["NAME"] = f"test_{DATABASES['replica']['NAME']}_replica"  # noqa: F405
DATABASE_ROUTERS = ["config.routers.StandInReplicaRouter"]
REPORTS_DATABASE = "default"
