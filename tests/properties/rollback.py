"""Each generated example on the same rows: a savepoint, rolled back once the example is done."""

import contextlib

from django.core.cache import cache
from django.db import transaction
from hypothesis import HealthCheck, settings

# Examples are database work: no deadline (a shared machine), few enough to keep the suite
# quick, and none stored between runs, so a run depends on the code alone.
EXAMPLES = settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@contextlib.contextmanager
def rolled_back():
    with transaction.atomic():
        yield
        transaction.set_rollback(True)
    # Throttles and cached figures live in the cache, outside the savepoint.
    cache.clear()
