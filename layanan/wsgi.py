import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "layanan.settings")
application = get_wsgi_application()

# Refuse to start rather than answer 500 on every page (no static manifest: collectstatic).
from layanan.core.checks import ensure_static_manifest  # noqa: E402

ensure_static_manifest()
