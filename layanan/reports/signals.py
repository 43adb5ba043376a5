"""Late corrections forget the stored months they change (``snapshots.py``): any save or delete
of a row the monthly figures read — a case, its complaint or visit details, a survey response —
and any change of the unit tree. Bulk writers that send no signal call
``snapshots_invalidate`` themselves (``cases.recompute``, ``surveys.services``)."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from layanan.cases.models import Case
from layanan.complaints.models import ComplaintDetail
from layanan.core.models import Unit
from layanan.surveys.models import SurveyResponse

from .snapshots import snapshots_invalidate, snapshots_invalidate_all, snapshots_invalidate_cases


@receiver([post_save, post_delete], sender=Case, dispatch_uid="reports.case_changed")
def case_changed(sender, instance: Case, **kwargs):
    snapshots_invalidate([(instance.unit_id, instance.received_at)])


def _detail_changed(sender, instance, **kwargs):
    """A complaint's class or a visit's times: the months of its case."""
    snapshots_invalidate_cases([instance.case_id])


post_save.connect(_detail_changed, sender=ComplaintDetail, dispatch_uid="reports.complaint_saved")
post_delete.connect(
    _detail_changed, sender=ComplaintDetail, dispatch_uid="reports.complaint_deleted"
)


@receiver([post_save, post_delete], sender=SurveyResponse, dispatch_uid="reports.response_changed")
def response_changed(sender, instance: SurveyResponse, **kwargs):
    snapshots_invalidate([(instance.unit_id, instance.answered_on)])


@receiver([post_save, post_delete], sender=Unit, dispatch_uid="reports.unit_changed")
def unit_changed(sender, instance: Unit, created: bool = False, **kwargs):
    """A new unit has no snapshot; a moved, renamed or deleted one may change any scope."""
    if not created:
        snapshots_invalidate_all()


def connect_visits() -> None:
    """The visits app is optional (``metrics.visits_admin_time``)."""
    from layanan.visits.models import VisitDetail

    post_save.connect(_detail_changed, sender=VisitDetail, dispatch_uid="reports.visit_saved")
    post_delete.connect(_detail_changed, sender=VisitDetail, dispatch_uid="reports.visit_deleted")
