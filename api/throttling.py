import time

from django.conf import settings
from django.core.cache import cache
from rest_framework.throttling import BaseThrottle

from api.models import ApiToken
from infra.login_lock import client_address


class PerTokenRate(BaseThrottle):
    """At most API_RATE_LIMIT requests per token in each API_RATE_WINDOW seconds (a fixed
    window); a browser session counts per user, anyone else per address. ``cache.add`` then
    ``cache.incr`` are atomic on Redis, so every app server shares the count. Past the limit:
    429, with Retry-After the seconds left in the window."""

    def allow_request(self, request, view):
        window, limit = settings.API_RATE_WINDOW, settings.API_RATE_LIMIT
        bucket, into = divmod(time.time(), window)
        key = f"api:rate:{self._caller(request)}:{int(bucket)}"
        cache.add(key, 0, timeout=window + 1)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=window + 1)
            count = 1
        self._wait = max(1, int(window - into))
        return count <= limit

    def wait(self):
        return self._wait

    @staticmethod
    def _caller(request) -> str:
        if isinstance(request.auth, ApiToken):
            return f"token:{request.auth.pk}"
        if request.user and request.user.is_authenticated:
            return f"user:{request.user.pk}"
        return f"address:{client_address(request) or 'unknown'}"
