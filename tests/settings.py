"""The project's settings as the test suite runs them: production defaults, a throwaway key."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")

from crm.settings import *  # noqa: E402,F403

# Hashing passwords slowly is the point in production and a waste of minutes in tests.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
# Tasks run as soon as they are queued, inside the test, instead of waiting for a worker.
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
# One log line per request is for production; tests that check it turn it on.
LOG_REQUESTS = False
# No collectstatic before tests: whitenoise reads the source folders instead of STATIC_ROOT.
WHITENOISE_AUTOREFRESH = True
