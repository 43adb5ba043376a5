from django.urls import path

from . import views

app_name = "surveys"

urlpatterns = [
    path("hasil/", views.results, name="results"),
    path("kiosk/<slug:unit_slug>/", views.kiosk, name="kiosk"),
    path("kiosk/<slug:unit_slug>/terima-kasih/", views.kiosk_thanks, name="kiosk_thanks"),
    path("terima-kasih/", views.thanks, name="thanks"),
    path("<str:token>/", views.answer, name="answer"),
]
