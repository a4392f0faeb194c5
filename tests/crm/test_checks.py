"""``manage.py check --deploy`` warns when the app processes would not share their cache."""

from django.core.checks import Tags, run_checks
from django.test import override_settings

LOCAL = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/0",
    }
}


def deploy_warnings() -> list[str]:
    checks = run_checks(tags=[Tags.caches], include_deployment_checks=True)
    return [message.id for message in checks]


@override_settings(CACHES=LOCAL)
def test_a_cache_in_each_process_is_reported_before_deploying():
    assert "crm.W001" in deploy_warnings()


@override_settings(CACHES=REDIS)
def test_a_shared_cache_passes():
    assert "crm.W001" not in deploy_warnings()


@override_settings(CACHES=LOCAL)
def test_the_everyday_check_stays_quiet_in_development():
    assert "crm.W001" not in [message.id for message in run_checks(tags=[Tags.caches])]
