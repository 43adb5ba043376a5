"""Pages of the front desk (staff), the self-service kiosk and the TV display (public).

- Desk ``/staf/tamu/<unit>/``: today's queue per service with call / serve / route / finish /
  no-show forms (plain POSTs, redirect after success); the waiting time runs live (a static
  script ticks the clocks and reloads the page every 30 s unless a form is being filled in;
  without JavaScript the times are those of the last load). Register ``/staf/tamu/<unit>/daftar/``
  with a phone lookup that fills in a returning visitor.
- Kiosk ``/tamu/<unit>/``: public, no login, big buttons: choose the service, fill in the form,
  get the ticket. Registrations are rate-limited per client address (``VISIT_KIOSK_RATE``).
- Display ``/tamu/<unit>/layar/``: public, refreshes itself (``<meta http-equiv=refresh>``),
  shows ticket numbers and desks only, never a name.

The views are in ``desk_pages``, ``public_pages`` and ``guest_book_pages`` (what they share in
``shared``); ``urls`` reaches them through this package.

A unit or visit outside the user's reach answers 404, as one that does not exist. Domain errors
come back on the page with what was typed kept and the error's status (400/403/409).
"""

from .desk_pages import desk, desk_action, desk_home, desk_register, survey_card
from .guest_book_pages import guest_book, guest_book_pdf, guest_book_xlsx
from .public_pages import display, kiosk, ticket

__all__ = [
    "desk",
    "desk_action",
    "desk_home",
    "desk_register",
    "display",
    "guest_book",
    "guest_book_pdf",
    "guest_book_xlsx",
    "kiosk",
    "survey_card",
    "ticket",
]
