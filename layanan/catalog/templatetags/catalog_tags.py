"""Display helpers for the catalogue pages and the poster: money, durations, contact links."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from layanan.catalog.links import channel_href

register = template.Library()


@register.filter
def rupiah(amount) -> str:
    """An amount in rupiah as Indonesians write it: 50000 → "Rp 50.000" (whatever the language,
    the currency is always written the Indonesian way)."""
    if amount is None or amount == "":
        return ""
    try:
        value = int(amount)
    except (TypeError, ValueError):
        return str(amount)
    return "Rp " + f"{value:,}".replace(",", ".")


def duration_text(value: int | None, unit: str | None) -> str:
    """A structured duration in words ("15 minutes", "5 working days"), or "" when unknown."""
    if value is None or not unit:
        return ""
    if unit == "minutes":
        text = ngettext("%(count)s minute", "%(count)s minutes", value)
    elif unit == "hours":
        text = ngettext("%(count)s hour", "%(count)s hours", value)
    elif unit == "working_days":
        text = ngettext("%(count)s working day", "%(count)s working days", value)
    elif unit == "calendar_days":
        text = ngettext("%(count)s calendar day", "%(count)s calendar days", value)
    else:
        return ""
    return text % {"count": value}


@register.filter
def duration(obj) -> str:
    """The structured duration of a CompletionTime or ComplaintClass, in words."""
    return duration_text(getattr(obj, "value", None), getattr(obj, "unit", None))


@register.filter
def contact_href(value: str, kind: str) -> str:
    """A clickable link for a unit's contact: ``{{ unit.whatsapp|contact_href:"whatsapp" }}``."""
    return channel_href(kind, value or "")


@register.filter
def channel_note(channel) -> str:
    """What to show for a channel without a contact value (face to face, complaint box): its own
    label ("Tatap muka langsung kepada Pejabat Pengelola Pengaduan"). Channels with a contact show
    the contact; their label ("WA", "Telepon") would only repeat the kind."""
    if (channel.value or "").strip():
        return ""
    return (channel.label or "").strip()


@register.filter
def channel_link(channel) -> str:
    """The link a citizen can tap for a channel; faxes are not linked (a phone cannot fax)."""
    return "" if channel.kind == "fax" else channel.href


@register.simple_tag
def staffing_text(version) -> str:
    """Number of staff: as written in the standard, else from the structured count."""
    if version.staff_text:
        return version.staff_text
    if version.staff_count:
        return ngettext(
            "%(count)s staff member", "%(count)s staff members", version.staff_count
        ) % {"count": version.staff_count}
    return ""


@register.simple_tag
def primary_time(version) -> str:
    """The headline completion time for the "at a glance" box: the first one, in words."""
    times = list(version.completion_times.all())
    if not times:
        return ""
    first = times[0]
    text = duration(first) or first.text
    if first.label and len(times) > 1:
        return _("%(label)s: %(time)s") % {"label": first.label, "time": text}
    return text


@register.filter
def issue_component_label(key: str) -> str:
    """Import issues name a component by key; show its label (or the key as is)."""
    from layanan.catalog.components import COMPONENTS_BY_KEY

    component = COMPONENTS_BY_KEY.get(key or "")
    return str(component.label) if component else (key or "")


FRIENDLY_TITLES = {
    "requirements": gettext_lazy("What to bring"),
    "procedure": gettext_lazy("Steps"),
    "completion_times": gettext_lazy("How long it takes"),
    "fees": gettext_lazy("Cost"),
    "products": gettext_lazy("What you receive"),
    "complaint_handling": gettext_lazy("Complaints, suggestions and feedback"),
}


@register.filter
def friendly_title(key: str) -> str:
    """A plain-language heading for the delivery components ("What to bring" for
    "Requirements"); "" for the others, which keep their official name."""
    title = FRIENDLY_TITLES.get(key)
    return str(title) if title else ""


@register.filter
def without_label(text: str, label: str) -> str:
    """ "Konsultasi : Sesuai materi" with label "Konsultasi" → "Sesuai materi"."""
    text = (text or "").strip()
    label = (label or "").strip()
    if label and text.lower().startswith(label.lower()):
        rest = text[len(label) :].lstrip()
        if rest[:1] in {":", "-", "–", "="}:
            rest = rest[1:].strip()
            if rest:
                return rest
    return text


@register.filter
def absolute(path: str) -> str:
    """A site path as the full address printed on paper: ``{{ path|absolute }}``."""
    return settings.SITE_URL + path if path else ""


@register.filter
def complaint_path(standard) -> str:
    """The complaint form with this service chosen ("" when it takes no complaints)."""
    from layanan.catalog.actions import complaint_url

    return complaint_url(standard) or ""


@register.simple_tag
def site_url(name: str) -> str:
    """The full address of a named page: ``{% site_url 'complaints_public:lookup' %}``."""
    return settings.SITE_URL + reverse(name)
