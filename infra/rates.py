"""Counting requests against a limit per key (an address, an email), shared by every app server."""

import math
import time

from django.core.cache import cache


def seconds_over(key: str, *, limit: int, window: int) -> int:
    """Count one more request for ``key``: 0 while it has made no more than ``limit`` in the
    last ``window`` seconds; past it, the seconds to wait.

    A sliding window: the count of the current window plus the previous one's, weighted by how
    much of it still lies within the last ``window`` seconds, so that a burst across a window's
    end is counted whole. ``cache.add`` then ``cache.incr`` are atomic on Redis, so every app
    server shares the counts.
    """
    now = time.time()
    bucket, into = divmod(now, window)
    prefix = f"rates:{key}"
    current_key = f"{prefix}:{int(bucket)}"
    cache.add(current_key, 0, timeout=2 * window)
    try:
        current = cache.incr(current_key)
    except ValueError:  # expired between add and incr
        cache.add(current_key, 1, timeout=2 * window)
        current = 1
    previous = cache.get(f"{prefix}:{int(bucket) - 1}", 0)
    remaining = 1 - into / window  # the share of the previous window still counted
    if current + previous * remaining <= limit:
        return 0
    if current > limit:
        # This window's own requests are too many: they fall out as the next window slides.
        return max(1, math.ceil(window - into + window * (1 - limit / current)))
    # The previous window's requests fall out as it slides past them.
    excess = current + previous * remaining - limit
    return max(1, math.ceil(excess / previous * window))
