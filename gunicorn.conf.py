"""gunicorn's settings for the CRM: `gunicorn -c gunicorn.conf.py`.

Values come from the environment (see docs/deploy.md); command-line options override them.
"""

import multiprocessing

from infra.env import env_bool, env_choice, env_int, env_str

wsgi_app = "crm.wsgi:application"
bind = env_str("GUNICORN_BIND", "0.0.0.0:8000")
workers = env_int("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1)
threads = env_int("GUNICORN_THREADS", 1)
# A request that takes longer than this is killed; long work belongs in a background task.
timeout = env_int("GUNICORN_TIMEOUT", 30)
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so that a slow leak never takes a server down.
max_requests = 2000
max_requests_jitter = 200
# The proxy in front of gunicorn (a load balancer) may set X-Forwarded-* headers.
forwarded_allow_ips = env_str("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Django logs every request as a JSON line with its request id (LOG_REQUESTS); gunicorn's own
# access log would repeat it without the id.
accesslog = None
errorlog = "-"
loglevel = env_choice(
    "LOG_LEVEL", "INFO", {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}
).lower()
# gunicorn's own lines (start, stop, worker timeouts) in the same format as the app's.
_debug = env_bool("DEBUG", False)
if env_choice("LOG_FORMAT", "text" if _debug else "json", {"json", "text"}) == "json":
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "infra.logs.RequestIdFilter"}},
        "formatters": {"json": {"()": "infra.logs.JsonFormatter"}},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "filters": ["request_id"],
                "formatter": "json",
                "stream": "ext://sys.stderr",
            }
        },
        "root": {"handlers": ["console"], "level": loglevel.upper()},
        "loggers": {
            "gunicorn.error": {
                "handlers": ["console"],
                "level": loglevel.upper(),
                "propagate": False,
            }
        },
    }
# gunicorn's control socket sits at one fixed path per user, which several instances on one
# machine would fight over; nothing here uses it.
control_socket_disable = True
