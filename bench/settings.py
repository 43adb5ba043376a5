"""Settings for the load benchmark (``bench/load.py``): production settings, minus HTTPS.

Imports ``layanan.settings`` with DEBUG off and production defaults, then changes only what a
benchmark over plain HTTP on the loopback needs:

- no HTTPS redirect, no HSTS, no ``Secure`` flag on the session and CSRF cookies (wrk speaks
  plain HTTP to 127.0.0.1);
- the per-address rate limits raised (every wrk connection comes from 127.0.0.1, so the
  production limits would answer 429 after a few dozen requests): COMPLAINT_SUBMIT_RATE,
  TRACKING_LOOKUP_RATE and API_THROTTLE_ANON; each can still be set in the environment;
- ``ROOT_URLCONF = "bench.urls"``: the app's URLs plus ``/bench/ceiling/<code>/``;
- ``bench.querycount.QueryCountMiddleware`` outermost, which adds ``X-Bench-Queries`` (SQL
  queries the request ran, middleware included) to every response, for the Lua scripts to average.

Everything else (Argon2, sessions in the database, CSRF, CSP, axes, the 2FA gate, templates,
WhiteNoise with the manifest storage) stays as in production.
"""

from __future__ import annotations

import os

_BENCH_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "bench-only-secret-key-not-for-production-8c1f0e4b2a7d",
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "SECURE_SSL_REDIRECT": "0",
    "SECURE_HSTS_SECONDS": "0",
    "SECURE_HSTS_PRELOAD": "0",
    # rate limits raised for the benchmark: (requests, seconds) per client address
    "COMPLAINT_SUBMIT_RATE": "1000000/600",
    "TRACKING_LOOKUP_RATE": "1000000/600",
    "API_THROTTLE_ANON": "1000000/m",
    "LOG_LEVEL": "WARNING",
}
for _name, _value in _BENCH_ENV.items():
    os.environ.setdefault(_name, _value)

from layanan.settings import *  # noqa: E402, F403
from layanan.settings import MIDDLEWARE  # noqa: E402

ROOT_URLCONF = "bench.urls"
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
MIDDLEWARE = ["bench.querycount.QueryCountMiddleware", *MIDDLEWARE]
