from django.urls import path

from . import views

app_name = "visits"
urlpatterns = [
    path("staf/tamu/", views.desk_home, name="desk_home"),
    path("staf/tamu/kunjungan/<int:pk>/survei/", views.survey_card, name="survey_card"),
    path("staf/tamu/kunjungan/<int:pk>/<slug:action>/", views.desk_action, name="action"),
    path("staf/tamu/<slug:unit_slug>/", views.desk, name="desk"),
    path("staf/tamu/<slug:unit_slug>/daftar/", views.desk_register, name="register"),
    path("staf/tamu/<slug:unit_slug>/buku-tamu/", views.guest_book, name="guest_book"),
    path("staf/tamu/<slug:unit_slug>/buku-tamu/pdf/", views.guest_book_pdf, name="guest_book_pdf"),
    path(
        "staf/tamu/<slug:unit_slug>/buku-tamu/xlsx/", views.guest_book_xlsx, name="guest_book_xlsx"
    ),
    path("tamu/<slug:unit_slug>/", views.kiosk, name="kiosk"),
    path("tamu/<slug:unit_slug>/layar/", views.display, name="display"),
    path("tamu/<slug:unit_slug>/tiket/<str:code>/", views.ticket, name="ticket"),
]
