"""Account pages beyond Django's own: two-factor enrolment, verification and status."""

from __future__ import annotations

import base64

import django_otp
import segno
from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from .landing import landing_url
from .twofactor import (
    SESSION_KEY_2FA,
    STATE_OK,
    STATE_VERIFY,
    confirmed_device,
    twofactor_required,
)


class TokenForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Code from the authenticator app"),
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_token(self) -> str:
        token = "".join(self.cleaned_data["token"].split())
        if not token.isdigit() or len(token) != 6:
            raise forms.ValidationError(_("Enter the six digits shown by the app."))
        return token


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return landing_url(request.user)


class LoginView(auth_views.LoginView):
    """The staff login page; without a ``next`` each role lands where its work is
    (``accounts.landing``)."""

    template_name = "accounts/login.html"

    def get_default_redirect_url(self):
        return landing_url(self.request.user)


def _verified(request: HttpRequest, device: TOTPDevice) -> None:
    django_otp.login(request, device)
    request.session[SESSION_KEY_2FA] = STATE_OK
    request.session.cycle_key()


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def twofactor_verify(request: HttpRequest) -> HttpResponse:
    """The second step of login: the current code of the user's authenticator."""
    device = confirmed_device(request.user)
    if device is None:
        return redirect("accounts:twofactor_enrol")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _info = device.verify_is_allowed()
        if not allowed:
            form.add_error(None, _("Too many wrong codes. Wait a moment and try again."))
        elif device.verify_token(form.cleaned_data["token"]):
            _verified(request, device)
            return redirect(_next_url(request))
        else:
            form.add_error("token", _("This code is wrong or has expired."))
    return render(
        request,
        "accounts/twofactor_verify.html",
        {"form": form, "next": request.GET.get("next", request.POST.get("next", ""))},
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def twofactor_enrol(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan the QR code (or type the key), confirm with a code."""
    if confirmed_device(request.user) is not None:
        if request.session.get(SESSION_KEY_2FA) == STATE_VERIFY:
            return redirect("accounts:twofactor_verify")
        return redirect("accounts:twofactor")
    # One pending (unconfirmed) device per user keeps the same secret across reloads.
    pending = TOTPDevice.objects.filter(user=request.user, confirmed=False).order_by("pk")
    device = pending.first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="Authenticator", confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not device.verify_is_allowed()[0]:
            form.add_error(None, _("Too many wrong codes. Wait a moment and try again."))
        elif device.verify_token(form.cleaned_data["token"]):
            with transaction.atomic():
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                TOTPDevice.objects.filter(user=request.user, confirmed=False).delete()
            _verified(request, device)
            messages.success(request, _("Two-factor authentication is on."))
            return redirect(_next_url(request))
        else:
            form.add_error("token", _("This code is wrong or has expired."))
    qr = segno.make(device.config_url, error="m")
    return render(
        request,
        "accounts/twofactor_enrol.html",
        {
            "form": form,
            "qr_data_uri": qr.svg_data_uri(scale=5, dark="#1c2430"),
            "secret": base64.b32encode(device.bin_key).decode().rstrip("="),
            "required": twofactor_required(request.user),
            "next": request.GET.get("next", request.POST.get("next", "")),
        },
    )


@never_cache
@login_required
@require_http_methods(["GET"])
def twofactor_status(request: HttpRequest) -> HttpResponse:
    """Whether two-factor authentication is on, and the way to turn it on or off."""
    return render(
        request,
        "accounts/twofactor_status.html",
        {
            "device": confirmed_device(request.user),
            "required": twofactor_required(request.user),
        },
    )


@never_cache
@login_required
@require_POST
def twofactor_disable(request: HttpRequest) -> HttpResponse:
    """Turn two-factor authentication off — only for users whose role does not require it."""
    if twofactor_required(request.user):
        messages.error(request, _("Your role requires two-factor authentication."))
        return redirect("accounts:twofactor")
    TOTPDevice.objects.filter(user=request.user).delete()
    request.session.pop(django_otp.DEVICE_ID_SESSION_KEY, None)
    request.session[SESSION_KEY_2FA] = STATE_OK
    messages.success(request, _("Two-factor authentication is off."))
    return redirect("accounts:twofactor")


def lockout_response(request: HttpRequest, original_response=None, credentials=None):
    """django-axes' answer to a locked-out login: a translated page, status 429."""
    from axes.helpers import get_cool_off, get_failure_limit

    cool_off = get_cool_off(request)
    response = render(
        request,
        "accounts/locked_out.html",
        {
            "failure_limit": get_failure_limit(request, credentials),
            "cooloff_minutes": int(cool_off.total_seconds() // 60) if cool_off else 0,
        },
        status=429,
    )
    if cool_off:
        response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response
