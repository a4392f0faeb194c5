from home.digests import send_digests
from infra.tasks import retrying_task


@retrying_task(attempts=3, backoff=60)
def send_daily_digests() -> int:
    """Email each active rep their day; enqueue once a day from a scheduler."""
    return send_digests()
