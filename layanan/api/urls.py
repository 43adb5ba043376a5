from django.http import JsonResponse
from django.urls import path, re_path, reverse

from .api import api
from .errors import json_not_found


def index(request):
    """/api/v1/ itself: where the description and the docs are."""
    return JsonResponse(
        {
            "openapi": request.build_absolute_uri(reverse("api:openapi-json")),
            "docs": request.build_absolute_uri(reverse("api:openapi-view")),
        }
    )


urlpatterns = [
    path("", index, name="api_index"),
    path("", api.urls),
    # Anything else under /api/v1/ is a JSON 404 too, never the HTML error page.
    re_path(r"^.*$", json_not_found),
]
