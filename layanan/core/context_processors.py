from django.conf import settings

from .models import organisation_name


def site(request):
    # A callable: read (from the cache) only by templates that show it.
    return {
        "SITE_URL": settings.SITE_URL,
        "DEBUG": settings.DEBUG,
        "ORGANISATION_NAME": organisation_name,
    }
