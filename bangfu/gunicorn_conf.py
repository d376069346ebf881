"""gunicorn's settings for the production server (`make serve`, docs/setup.md); flags on the command line and
GUNICORN_CMD_ARGS override them. Sync workers, one request each at a time: a slow page or a large upload holds one
worker, not the others, and each is restarted after a while so that no leak accumulates."""

import os

wsgi_app = "bangfu.wsgi:application"
bind = "127.0.0.1:8000"  # behind the TLS-terminating proxy, on the same machine
# gunicorn's own WEB_CONCURRENCY when set; else its documented rule of thumb.
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * (os.cpu_count() or 1) + 1)
timeout = 120  # a request still running after this is killed with its worker (imports run as background tasks)
graceful_timeout = 30
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
# gunicorn 24+ opens a control socket under ~/.gunicorn by default; two servers of one user (a test beside the real
# one) would fight over it, and nothing here uses it.
control_socket_disable = True
