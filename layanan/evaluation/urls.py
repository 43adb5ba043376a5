"""Staff pages of the performance evaluation, under ``staf/evaluasi/``."""

from django.urls import path

from . import views

app_name = "evaluation"

urlpatterns = [
    path("", views.home, name="home"),
    path("rapat/<int:pk>/", views.meeting, name="meeting"),
    path("rapat/<int:pk>/ubah/", views.meeting_edit, name="meeting_edit"),
    path("rapat/<int:pk>/tindak-lanjut/", views.action_add, name="action_add"),
    path("tindak-lanjut/<int:pk>/", views.action_update, name="action_update"),
    path("teguran-saya/", views.my_reprimands, name="my_reprimands"),
    path("<slug:unit_slug>/rapat/baru/", views.meeting_new, name="meeting_new"),
    path("<slug:unit_slug>/kinerja/", views.performance, name="performance"),
    path("<slug:unit_slug>/teguran/", views.reprimands, name="reprimands"),
]
