"""Account forms of our own."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm


class FirstPasswordResetForm(PasswordResetForm):
    """Password reset that also reaches a member who has never signed in.

    Staff named in an organisation file are created without a password (an unusable one), so
    that no default password exists anywhere (docs/adopting.md). Django's form skips every
    account without a usable password; this one also sends the link to an account that has
    never been used (``last_login`` empty) — the member sets their first password by the same
    link. An account whose password was taken away after it had been used stays excluded, as
    in Django.
    """

    def get_users(self, email):
        model = get_user_model()
        field = model.get_email_field_name()
        candidates = model._default_manager.filter(**{f"{field}__iexact": email, "is_active": True})
        for user in candidates:
            stored = getattr(user, field) or ""
            if stored.casefold() != email.casefold():
                continue
            if user.has_usable_password() or user.last_login is None:
                yield user
