"""Staff pages of the intake queue, under ``staf/masuk/``."""

from django.urls import path

from . import views

app_name = "intake"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("<int:pk>/", views.message_detail, name="detail"),
    path("lampiran/<int:pk>/", views.attachment_download, name="attachment_download"),
]
