"""gunicorn settings for engage: `gunicorn -c deploy/gunicorn.conf.py 'engage:create_app()'`."""

import multiprocessing
import os

# nginx proxies to this socket on the same machine; nothing else should reach gunicorn.
bind = os.environ.get("ENGAGE_BIND", "127.0.0.1:8000")
# Sync workers: each request is short (the long work runs on the RQ worker). Two per core is
# what bench/load.py and bench/submit.py measured against; raise with care, as each worker holds
# its own database pool (SQLAlchemy's default 5 + 10 overflow) against PostgreSQL's max_connections.
workers = int(os.environ.get("ENGAGE_WORKERS", multiprocessing.cpu_count() * 2))
worker_class = "sync"
# A request that takes longer than this is killed and logged; exports larger than
# EXPORT_DIRECT_MAX_RESPONSES run as jobs, so 60 s is ample for every page.
timeout = 60
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak in any library cannot grow without bound;
# the jitter keeps them from restarting together.
max_requests = 5000
max_requests_jitter = 500
# Trust X-Forwarded-* only from nginx on this machine.
forwarded_allow_ips = "127.0.0.1"
accesslog = "-"
errorlog = "-"
# No query strings in the access log: none carry personal data today, but keep it that way.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'
