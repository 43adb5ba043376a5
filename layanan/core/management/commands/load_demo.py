"""manage.py load_demo — the organisation, the seed catalogue and demo staff (idempotent).

The organisation comes from a file (default: the shipped data/organisations/kalbar.toml); the
demo staff and sample complaints below belong to that demo organisation."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from layanan.accounts.actors import PUBLIC, SYSTEM
from layanan.accounts.models import Membership, Role, User
from layanan.catalog.imports import import_documents
from layanan.catalog.models import ServiceStandard, VersionStatus
from layanan.catalog.services import version_publish
from layanan.core.organisation import ensure_organisation
from layanan.core.orgfile import SHIPPED_ORGANISATION
from layanan.workdays.services import holidays_sync

DEMO_PASSWORD = "layanan-demo-2026"

# What Biro Umum lends (its standard "Fasilitasi Pengguna Sarana Prasarana Kantor" names no
# rooms): the hall, meeting rooms, official vehicles and equipment of a provincial secretariat.
# (name, kind, capacity, location, rules of use)
_REQUEST_RULE = (
    "Permohonan disertai surat permintaan fasilitasi, paling lambat 2 hari kerja sebelum kegiatan."
)
DEMO_RESOURCES = [
    (
        "Aula Utama Kantor Gubernur",
        "hall",
        400,
        "Kantor Gubernur Kalimantan Barat, Jl. Jenderal Ahmad Yani, lantai 1",
        f"{_REQUEST_RULE}\nKursi dan meja ditata oleh petugas Bagian Rumah Tangga; ruangan "
        "dikembalikan dalam keadaan bersih dan rapi.\nDilarang merokok di dalam ruangan.",
    ),
    (
        "Ruang Rapat Utama Lt. 3",
        "room",
        60,
        "Kantor Gubernur, lantai 3",
        f"{_REQUEST_RULE}\nPengeras suara dan layar tersedia di ruangan.",
    ),
    (
        "Ruang Rapat Lt. 2",
        "room",
        20,
        "Kantor Gubernur, lantai 2 (sayap kanan)",
        f"{_REQUEST_RULE}\nKunci ruangan diambil dan dikembalikan di pos satpam.",
    ),
    (
        "Ruang Rapat Kecil Lt. 1",
        "room",
        10,
        "Kantor Gubernur, lantai 1, dekat Bagian Tata Usaha Pimpinan",
        _REQUEST_RULE,
    ),
    (
        "Bus Dinas KB 7011 A (29 kursi)",
        "vehicle",
        29,
        "Pool kendaraan Biro Umum",
        f"{_REQUEST_RULE}\nPengemudi disediakan Biro Umum; bahan bakar dan tol untuk perjalanan "
        "ke luar kota ditanggung pemohon.",
    ),
    (
        "Mobil Operasional KB 1209 A (7 kursi)",
        "vehicle",
        7,
        "Pool kendaraan Biro Umum",
        f"{_REQUEST_RULE}\nUntuk perjalanan dinas di dalam Kota Pontianak dan Kubu Raya.",
    ),
    (
        "Sound System Portabel",
        "equipment",
        None,
        "Gudang Bagian Perlengkapan",
        f"{_REQUEST_RULE}\nDiambil dan dikembalikan di Bagian Perlengkapan; kerusakan "
        "karena kelalaian menjadi tanggung jawab pemohon.",
    ),
    (
        "Proyektor dan Layar",
        "equipment",
        None,
        "Gudang Bagian Perlengkapan",
        f"{_REQUEST_RULE}\nDiambil dan dikembalikan di Bagian Perlengkapan.",
    ),
]
# (resource, nth coming working day from 0, start, end, purpose, organiser, approved?)
DEMO_BOOKINGS = [
    (
        "Aula Utama Kantor Gubernur",
        0,
        (8, 0),
        (12, 0),
        "Sosialisasi SAKIP",
        "Biro Organisasi",
        True,
    ),
    ("Ruang Rapat Lt. 2", 0, (13, 0), (15, 0), "Rapat anggaran", "Bappeda", True),
    (
        "Bus Dinas KB 7011 A (29 kursi)",
        1,
        (7, 30),
        (16, 0),
        "Kunjungan kerja ke Mempawah",
        "Biro Kesra",
        True,
    ),
    (
        "Proyektor dan Layar",
        1,
        (9, 0),
        (12, 0),
        "Bimbingan teknis SIPD",
        "Biro Perekonomian",
        False,
    ),
    (
        "Aula Utama Kantor Gubernur",
        2,
        (9, 0),
        (11, 30),
        "Gladi bersih upacara",
        "Panitia HUT Provinsi",
        False,
    ),
    (
        "Ruang Rapat Utama Lt. 3",
        3,
        (8, 0),
        (16, 0),
        "Rapat koordinasi bupati dan wali kota",
        "Biro Pemerintahan",
        True,
    ),
    ("Ruang Rapat Lt. 2", 4, (8, 0), (9, 30), "Rapat mingguan", "Biro Umum", True),
]

# username: (full name, unit slug, role)
DEMO_STAFF = {
    "admin": ("Administrator Layanan", "pemprov-kalbar", Role.ADMIN),
    "kesra.informasi": ("Siti Rahmawati", "biro-kesra", Role.FRONT_DESK),
    "kesra.pengaduan": ("Agus Setiawan", "biro-kesra", Role.COMPLAINT_OFFICER),
    "kesra.binmental": ("Nur Hidayah", "kesra-bina-mental", Role.HANDLER),
    "kesra.kepala": ("Drs. Hendra Gunawan", "biro-kesra", Role.HEAD),
    "ekon.pengaduan": ("Rina Marlina", "biro-perekonomian", Role.COMPLAINT_OFFICER),
    "umum.informasi": ("Yusuf Maulana", "biro-umum", Role.FRONT_DESK),
    "inspektorat": ("Dewi Lestari", "pemprov-kalbar", Role.AUDITOR),
}


class Command(BaseCommand):
    help = "Load the unit tree, import and publish the seed standards, create demo staff."

    def add_arguments(self, parser):
        parser.add_argument("--seeds", default=str(settings.SEEDS_DIR), help="seed folder")
        parser.add_argument(
            "--organisation",
            default=str(SHIPPED_ORGANISATION),
            help="organisation file (default: the shipped Kalbar file)",
        )
        parser.add_argument("--no-users", action="store_true", help="skip demo accounts")
        parser.add_argument(
            "--force", action="store_true", help="allow demo accounts when DEBUG is off"
        )

    @scopes_disabled()  # SYSTEM, run by the operator: demo data for every unit
    def handle(self, *args, **options):
        if not settings.DEBUG and not options["no_users"] and not options["force"]:
            raise CommandError(
                "Refusing to create demo accounts with a known password when DEBUG is off "
                "(use --no-users, or --force on a throw-away server)."
            )
        units = ensure_organisation(options["organisation"])
        self.stdout.write(f"Units: {len(units)}")
        this_year = timezone.localdate().year
        for year in (this_year - 1, this_year, this_year + 1):
            holidays_sync(year=year)
        self.stdout.write(f"Holidays synced for {this_year - 1}–{this_year + 1}")
        report = import_documents([options["seeds"]], actor=SYSTEM)
        for error in report.errors:
            self.stderr.write(f"Seed not read: {error['source']}: {error['error']}")
        for outcome in report.outcomes:
            self.stdout.write(
                f"  {outcome.action:<11} {outcome.unit}/{outcome.standard} v{outcome.version}"
            )
        published = self._publish_first_versions()
        self.stdout.write(f"Standards published now: {published}")
        self.stdout.write(f"Draft service pledges: {self._draft_pledges()}")
        self.stdout.write(self._survey_demo(units, responses=not options["no_users"]))
        if not options["no_users"]:
            self._staff(units)
            self.stdout.write(f"Demo staff: {', '.join(DEMO_STAFF)} (password: {DEMO_PASSWORD})")
            made = self._sample_complaints(units)
            self.stdout.write(f"Sample complaints: {made}")
            resources, bookings = self._demo_facilities(units)
            self.stdout.write(f"Demo facilities: {resources} new, sample bookings: {bookings}")

    def _publish_first_versions(self) -> int:
        count = 0
        for standard in ServiceStandard.objects.filter(published_version__isnull=True):
            draft = standard.versions.filter(status=VersionStatus.DRAFT).order_by("-number").first()
            if draft is not None:
                version_publish(actor=SYSTEM, version=draft)
                count += 1
        return count

    def _draft_pledges(self) -> int:
        """A draft Maklumat Pelayanan (the common wording, not confirmed: staff only) for each unit
        with published services that has none; its head fills in the signatory and confirms."""
        from layanan.catalog.models import ServicePledge
        from layanan.catalog.pledge import pledge_save

        made = 0
        units = {s.unit for s in ServiceStandard.objects.published().select_related("unit")}
        for unit in sorted(units, key=lambda u: u.path):
            if ServicePledge.objects.filter(unit=unit).exists():
                continue
            pledge_save(
                actor=SYSTEM,
                pledge=ServicePledge(
                    unit=unit, signatory_position=f"Kepala {unit.name}", place="Pontianak"
                ),
            )
            made += 1
        return made

    @transaction.atomic
    def _staff(self, units) -> None:
        for username, (full_name, unit_slug, role) in DEMO_STAFF.items():
            user, created = User.objects.get_or_create(
                username=username,
                defaults={"full_name": full_name, "email": f"{username}@kalbarprov.go.id"},
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                if role == Role.ADMIN:
                    user.is_staff = True
                    user.is_superuser = True
                user.save()
            Membership.objects.get_or_create(user=user, unit=units[unit_slug], role=role)

    @transaction.atomic
    def _sample_complaints(self, units) -> int:
        """A few complaints in different states, so that a fresh ``make run`` shows a working
        inbox, case pages and tracking pages. Only into an empty case table (idempotent)."""
        from layanan.cases.models import Case, Channel, Status
        from layanan.cases.workflow import case_transition
        from layanan.complaints.services import (
            complaint_answer,
            complaint_assign,
            complaint_classify,
            complaint_create,
        )

        if Case.objects.exists():
            return 0
        officer = User.objects.get(username="kesra.pengaduan")
        handler = User.objects.get(username="kesra.binmental")
        kesra, now = units["biro-kesra"], timezone.now()
        samples = [
            # (channel, hours ago, subject, description, extra)
            (
                Channel.WEB,
                2,
                "Informasi bantuan hibah tidak jelas",
                "Persyaratan bantuan hibah di situs web berbeda dengan yang disampaikan di loket.",
                {"anonymous": True},
            ),
            (
                Channel.WHATSAPP,
                26,
                "Antrean konsultasi terlalu lama",
                "Saya menunggu lebih dari satu jam untuk konsultasi tanpa kejelasan.",
                {"requester_name": "Siti Aminah", "requester_phone": "081234567890"},
            ),
            (
                Channel.LAPOR,
                50,
                "Jadwal audiensi belum dijawab",
                "Surat permohonan audiensi kami belum mendapat jawaban setelah dua minggu.",
                {"requester_name": "Yayasan Cahaya Borneo", "lapor_number": "5123456"},
            ),
            (
                Channel.PHONE,
                75,
                "Petugas kurang ramah",
                "Petugas di loket informasi menjawab dengan nada kasar.",
                {"requester_name": "Budi Santoso", "confidential": True},
            ),
        ]
        cases = [
            complaint_create(
                actor=officer,
                unit=kesra,
                channel=channel,
                subject=subject,
                description=description,
                received_at=now - dt.timedelta(hours=hours),
                **extra,
            )
            for channel, hours, subject, description, extra in samples
        ]
        complaint_classify(actor=officer, case=cases[1], class_code="normatif")
        complaint_classify(actor=officer, case=cases[2], class_code="normatif")
        complaint_assign(
            actor=officer, case=cases[2], division=units["kesra-bina-mental"], assignee=handler
        )
        complaint_classify(actor=officer, case=cases[3], class_code="ringan")
        answered = complaint_assign(
            actor=officer, case=cases[3], division=units["kesra-bina-mental"], assignee=handler
        )
        answered = case_transition(actor=handler, case=answered, to=Status.IN_PROGRESS)
        complaint_answer(
            actor=officer,
            case=answered,
            answer="Terima kasih atas laporan Anda. Petugas yang bersangkutan telah dibina "
            "dan pelayanan di loket informasi kami evaluasi setiap minggu.",
        )
        return len(cases)

    # --- survey demo (issue 16.4): a running period, so results exist --------------------------

    @transaction.atomic
    def _survey_demo(self, units, *, responses: bool) -> str:
        """An office-wide survey period for this year (the results page and the reports show
        it as running) and, with the demo data, three kiosk answers for Biro Kesra — fewer
        than its cases, so the Krejcie–Morgan warning is visible too. Idempotent: the period
        by slug, the answers only into an empty table."""
        from layanan.surveys.models import ResponseChannel, SurveyPeriod, SurveyResponse

        today = timezone.localdate()
        period, _created = SurveyPeriod.objects.get_or_create(
            slug=f"skm-{today.year}",
            defaults={
                "name": f"SKM Tahun {today.year}",
                "start": dt.date(today.year, 1, 1),
                "end": dt.date(today.year, 12, 31),
            },
        )
        made = 0
        if responses and not SurveyResponse.objects.exists():
            kesra = units["biro-kesra"]
            service = ServiceStandard.objects.filter(unit=kesra).order_by("pk").first()
            answers = [
                (4, 3, 3, 4, 3, 4, 4, 3, 3),
                (3, 3, 2, 4, 3, 3, 4, 3, 3),
                (4, 4, 3, 4, 4, 4, 4, 3, 4),
            ]
            for days_ago, values in zip((1, 3, 6), answers, strict=True):
                SurveyResponse.objects.create(
                    unit=kesra,
                    service=service,
                    channel=ResponseChannel.KIOSK,
                    answered_on=max(period.start, today - dt.timedelta(days=days_ago)),
                    **{f"u{i}": v for i, v in enumerate(values, start=1)},
                )
                made += 1
        return f"Survey period: {period.name} ({period.start}–{period.end}); answers added: {made}"

    @transaction.atomic
    def _demo_facilities(self, units) -> tuple[int, int]:
        """Biro Umum's rooms, hall, vehicles and equipment (``DEMO_RESOURCES``: demo data, a
        real office enters its own in the admin), and a few requests on the coming working
        days so the public week view has something to show — only while none of these
        resources has a booking (idempotent). Returns (resources created, bookings made)."""
        from layanan.facilities.models import BookingDetail, Resource
        from layanan.facilities.services import booking_approve, booking_request_create
        from layanan.workdays.deadlines import Calendar

        umum = units["biro-umum"]
        made = 0
        resources = {}
        for name, kind, capacity, location, rules in DEMO_RESOURCES:
            resources[name], created = Resource.objects.get_or_create(
                unit=umum,
                name=name,
                defaults={"kind": kind, "capacity": capacity, "location": location, "rules": rules},
            )
            made += created
        if BookingDetail.objects.filter(resource__in=resources.values()).exists():
            return made, 0
        calendar = Calendar.for_unit(umum)
        days = []
        for day in calendar.working_days_after(timezone.localdate()):
            days.append(day)
            if len(days) == 5:
                break
        approver = User.objects.get(username="admin")
        count = 0
        for name, day, start, end, purpose, organisation, approve in DEMO_BOOKINGS:
            opens = days[day].opens
            start_at = opens.replace(hour=start[0], minute=start[1])
            end_at = opens.replace(hour=end[0], minute=end[1])
            case = booking_request_create(
                actor=PUBLIC,
                resource=resources[name],
                starts_at=start_at,
                ends_at=end_at,
                purpose=purpose,
                organisation=organisation,
                requester_name=f"Panitia {organisation}",
                requester_phone="0561736541",
            )
            if approve:
                booking_approve(actor=approver, case=case)
            count += 1
        return made, count
