from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import views
from .forms import FirstPasswordResetForm

app_name = "accounts"

urlpatterns = [
    path(
        "masuk/",
        views.LoginView.as_view(),
        name="login",
    ),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("dua-faktor/", views.twofactor_status, name="twofactor"),
    path("dua-faktor/aktifkan/", views.twofactor_enrol, name="twofactor_enrol"),
    path("dua-faktor/verifikasi/", views.twofactor_verify, name="twofactor_verify"),
    path("dua-faktor/nonaktifkan/", views.twofactor_disable, name="twofactor_disable"),
    path(
        "sandi/ubah/",
        auth_views.PasswordChangeView.as_view(
            template_name="accounts/form_page.html",
            success_url=reverse_lazy("accounts:password_change_done"),
        ),
        name="password_change",
    ),
    path(
        "sandi/ubah/selesai/",
        auth_views.PasswordChangeDoneView.as_view(template_name="accounts/message_page.html"),
        name="password_change_done",
    ),
    path(
        "sandi/lupa/",
        auth_views.PasswordResetView.as_view(
            form_class=FirstPasswordResetForm,
            template_name="accounts/form_page.html",
            email_template_name="accounts/email/password_reset.txt",
            subject_template_name="accounts/email/password_reset_subject.txt",
            success_url=reverse_lazy("accounts:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "sandi/lupa/terkirim/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/message_page.html"),
        name="password_reset_done",
    ),
    path(
        "sandi/atur/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/form_page.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "sandi/atur/selesai/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/message_page.html"),
        name="password_reset_complete",
    ),
]
