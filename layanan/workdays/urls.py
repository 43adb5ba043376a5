"""Staff pages of the working-day calendar. Included under ``staf/kalender/``."""

from django.urls import path

from . import views

app_name = "workdays"

urlpatterns = [
    path("", views.year_calendar, name="calendar"),
    path("<int:year>/", views.year_calendar, name="calendar_year"),
]
