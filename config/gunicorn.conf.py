"""gunicorn settings shared by `make run` (bin/stack) and the Docker image (docker/ckan/):
several synchronous workers, each a whole CKAN app; a request that runs longer than
`timeout` is killed (heavy work belongs in the background worker)."""
import os

workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
timeout = 120
graceful_timeout = 30
# A worker is replaced after this many requests (with jitter), bounding slow memory growth.
max_requests = 2000
max_requests_jitter = 200
# GUNICORN_ACCESS_LOG=off: no access log here (a balancer in front logs every request: the
# cluster, bin/cluster.py and the compose profile "cluster").
accesslog = None if os.environ.get("GUNICORN_ACCESS_LOG") == "off" else "-"
errorlog = "-"
# The WSGI application module (docker/ckan/wsgi.py) reads the ini from CKAN_INI.
wsgi_app = "wsgi:application"
