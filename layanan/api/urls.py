from django.http import JsonResponse
from django.urls import URLPattern, path, re_path, reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from .api import api
from .errors import json_method_not_allowed, json_not_found


@csrf_exempt  # token-authenticated API: no CSRF page under /api/
@json_method_not_allowed
@require_safe
def index(request):
    """/api/v1/ itself: where the description and the docs are."""
    return JsonResponse(
        {
            "openapi": request.build_absolute_uri(reverse("api:openapi-json")),
            "docs": request.build_absolute_uri(reverse("api:openapi-view")),
        }
    )


def _api_urls():
    """ninja's URL patterns, with its plain-text 405 answers turned into JSON errors."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = json_method_not_allowed(pattern.callback)
    return patterns, app_name, namespace


urlpatterns = [
    path("", index, name="api_index"),
    path("", _api_urls()),
    # Anything else under /api/v1/ is a JSON 404 too, never the HTML error page.
    re_path(r"^.*$", json_not_found),
]
