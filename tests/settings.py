"""Settings for the test suite: the production settings with fast, isolated jobs and hashing."""

from refairn.settings import *  # noqa: F403
from refairn.settings import HUEY

REFAIRN_STRICT_EVENT_PAYLOADS = True
# Jobs run inline, in memory: a test sees a task's effects when the enqueuing call returns.
HUEY = {**HUEY, "immediate": True}
# Argon2 is the production hasher (asserted in accounts tests); tests use a fast one.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
