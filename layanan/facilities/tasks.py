"""The reminders' task was here before the sweep moved to ``cases/reminders.py``: its old dotted
path ``layanan.facilities.tasks.send_reminders_task`` stays importable for schedulers that name
it. New configuration names ``layanan.cases.tasks.send_reminders_task``."""

from __future__ import annotations

from layanan.cases.tasks import send_reminders_task

__all__ = ["send_reminders_task"]
