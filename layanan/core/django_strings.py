"""Strings of Django itself that its Indonesian catalogue (6.1) leaves untranslated.

Listed here so that ``makemessages`` puts them in the project's catalogue, where their Indonesian
is kept; LOCALE_PATHS is read after Django's own catalogues, so these fill the gaps (e.g. the
empty choice of every select, "- Select an option -", on staff forms and in the admin). Nothing
imports the values: only the catalogue needs them. Strings of Django's admin JavaScript (the
time zone note of date-time fields) live in ``locale/id/LC_MESSAGES/djangojs.po``.
tests/test_untranslated.py fails on any that a Django upgrade adds and a page shows.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

DJANGO_STRINGS = (
    gettext_noop("- Select an option -"),  # django/db/models/fields/__init__.py BLANK_CHOICE
    gettext_noop("“%(value)s” is not a valid binary value."),
    gettext_noop("No %s matches the given query."),
    # django.contrib.admin
    gettext_noop('The app "%s" could not be found.'),
    gettext_noop("Filter by %(field_name)s"),
    gettext_noop("Logout"),
    ngettext_lazy("…and %(count)d more object.", "…and %(count)d more objects.", "count"),
)
