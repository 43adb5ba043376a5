import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "layanan.settings")
application = get_asgi_application()

# Refuse to start rather than answer 500 on every page (no static manifest: collectstatic).
from layanan.core.checks import ensure_static_manifest  # noqa: E402

ensure_static_manifest()
