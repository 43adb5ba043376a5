"""The 14 components of a service standard (PermenPANRB 15/2014), in their official order.

One registry used by the models' completeness check, the public page, the poster, the admin and
the API, so that every place names and orders the components the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Component:
    key: str  # attribute / relation name on StandardVersion
    number: int
    label: object  # lazy translated label
    group: str  # "delivery" or "management"


DELIVERY = "delivery"
MANAGEMENT = "management"

COMPONENTS: tuple[Component, ...] = (
    Component("requirements", 1, _("Requirements"), DELIVERY),
    Component("procedure", 2, _("System, mechanism and procedure"), DELIVERY),
    Component("completion_times", 3, _("Completion time"), DELIVERY),
    Component("fees", 4, _("Fee / tariff"), DELIVERY),
    Component("products", 5, _("Service products"), DELIVERY),
    Component(
        "complaint_handling", 6, _("Handling of complaints, suggestions and input"), DELIVERY
    ),
    Component("legal_basis", 7, _("Legal basis"), MANAGEMENT),
    Component("facilities", 8, _("Facilities and infrastructure"), MANAGEMENT),
    Component("competence", 9, _("Staff competence"), MANAGEMENT),
    Component("supervision", 10, _("Internal supervision"), MANAGEMENT),
    Component("staffing", 11, _("Number of staff"), MANAGEMENT),
    Component("service_guarantee", 12, _("Service guarantee"), MANAGEMENT),
    Component("safety_guarantee", 13, _("Security and safety guarantee"), MANAGEMENT),
    Component("evaluation", 14, _("Performance evaluation of staff"), MANAGEMENT),
)
COMPONENTS_BY_KEY = {c.key: c for c in COMPONENTS}

# Plain ordered-list components stored as JSON lists of strings on StandardVersion.
LIST_FIELDS = (
    "requirements",
    "procedure",
    "products",
    "complaint_flow",
    "legal_basis",
    "facilities",
    "competence",
    "supervision",
    "service_guarantee",
    "safety_guarantee",
    "evaluation",
)
