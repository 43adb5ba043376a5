#!/usr/bin/env python
"""Fill a PostgreSQL database with realistic Layanan data for the benchmarks.

    bench/generate.py --cases 1000000 --units 22 --responses 100000 --reset

What it makes (everything consistent with what the app itself would have written):

- the real organisation, holidays and seed standards (``manage.py load_demo --no-users``, the
  way ``make setup`` loads them), holidays for every year the data covers, then extra bureaus
  with their divisions up to ``--units`` units, each with standards copied from a real bureau
  and published with the app's own ``version_publish``;
- staff per bureau (head, complaint officers, front desk) and per division (handlers) with
  memberships, all with the password ``bench._common.BENCH_PASSWORD``; facility resources,
  reply letter templates, visitors, survey periods;
- ``--cases`` cases of every kind and channel over ``--years`` years up to now. Each case is
  *simulated*: its steps (receipt, verification, classification, assignment, pauses, answer,
  closing; the front desk's call/serve/route/finish; the audience's disposition, schedule and
  reply; the facility decision) are drawn in time order, the ones not yet reached "now" are cut
  off, and a few per cent of older cases get stuck open. Status, time fields, ``due_at`` (the
  app's own working-day calendar: ``workdays.deadlines.deadline``), pauses and the SLA sweep's
  flags (``sla_state``, ``*_notified_at`` and their timeline events) follow from the steps that
  happened. Numbers are gapless per (unit, kind code, year) in order of receipt, and the
  ``CaseCounter`` rows continue them; tracking codes are random in the app's alphabet;
- the kind detail rows (complaint, visit with queue ticket and admin time, booking, audience),
  the ``CaseEvent`` timeline (3–7 per case) and ``CasePause`` rows;
- ``--responses`` survey responses over units, services and periods, part of them answering
  the invitation of a closed case (with its ``SurveyInvitation``).

How it is fast: the plan of every case (time, unit, kind, channel, number, code, ticket,
booking slot) is made in the parent process in receipt order; ``--workers`` forked processes
turn chunks of it into rows (plain tuples, no per-row validation) and write each chunk in one
transaction through ``QuerySet.bulk_create`` (``--method orm``, the default: the tuples become
model instances, 5000 rows per INSERT) or PostgreSQL ``COPY``
(``--method copy``, the same rows, about three times faster). The columns written are checked
against the models' ``_meta`` at start-up, so a schema change fails loudly. Non-partial,
non-constraint indexes of the big tables are dropped before the load and re-created afterwards
from their own ``pg_get_indexdef`` text (the index list is compared before and after: the
schema stays what ``migrate`` made); ``--keep-indexes`` keeps them.
At the end the big tables are vacuumed and analysed.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import io
import itertools
import json
import multiprocessing as mp
import os
import random
import string
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import (
    BENCH_PASSWORD,
    BUREAU_STAFF,
    DEFAULT_DATABASE_URL,
    DIVISION_STAFF,
    GLOBAL_STAFF,
    VOLUME_TABLES,
    setup_django,
    staff_username,
    table_counts,
    table_sizes,
)

UTC = dt.UTC
WIB = dt.timezone(dt.timedelta(hours=7))  # Asia/Pontianak: UTC+7 all year, no DST
MINUTE = dt.timedelta(minutes=1)
HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)
SWEEP_EVERY = 300.0  # seconds between two SLA sweeps (cron every 5 minutes)

PROTECTED_DATABASES = ("layanan",)
PROTECTED_PREFIXES = ("layanan_check_", "test_", "template", "postgres")

#: Tables the load writes in bulk; their non-constraint indexes are rebuilt after the load.
BIG_TABLES = (
    "cases_case",
    "cases_caseevent",
    "cases_casepause",
    "complaints_complaintdetail",
    "visits_visitdetail",
    "bookings_bookingdetail",
    "bookings_audiencedetail",
    "surveys_surveyresponse",
    "surveys_surveyinvitation",
)

# --- the extra organisation ----------------------------------------------------------------------

EXTRA_BUREAUS = [
    ("biro-pemerintahan", "Biro Pemerintahan", "PEM",
     ["Bagian Pemerintahan Umum", "Bagian Otonomi Daerah", "Bagian Kerja Sama"]),
    ("biro-hukum", "Biro Hukum", "HUKUM",
     ["Bagian Perundang-undangan", "Bagian Bantuan Hukum", "Bagian Dokumentasi Hukum"]),
    ("biro-organisasi", "Biro Organisasi", "ORG",
     ["Bagian Kelembagaan", "Bagian Reformasi Birokrasi", "Bagian Tata Laksana"]),
    ("biro-adpim", "Biro Administrasi Pimpinan", "ADPIM",
     ["Bagian Protokol", "Bagian Materi dan Komunikasi", "Bagian Perencanaan"]),
    ("biro-pbj", "Biro Pengadaan Barang dan Jasa", "PBJ",
     ["Bagian Pengelolaan Pengadaan", "Bagian Layanan Pengadaan Elektronik", "Bagian Pembinaan"]),
    ("biro-infrastruktur", "Biro Infrastruktur dan Kewilayahan", "INFRA",
     ["Bagian Infrastruktur", "Bagian Tata Ruang", "Bagian Kewilayahan"]),
]  # fmt: skip
TEMPLATE_BUREAUS = ("biro-kesra", "biro-perekonomian", "biro-umum")
RESOURCES = [
    ("Aula Utama", "hall", 300),
    ("Ruang Rapat Lantai 2", "room", 40),
    ("Ruang Rapat Kecil", "room", 15),
    ("Bus Operasional", "vehicle", 30),
    ("Mobil Dinas Toyota Innova", "vehicle", 7),
    ("Proyektor dan Layar", "equipment", None),
]

# --- text banks ----------------------------------------------------------------------------------

FIRST = [
    "Agus",
    "Budi",
    "Citra",
    "Dewi",
    "Eko",
    "Fitri",
    "Gilang",
    "Hendra",
    "Indah",
    "Joko",
    "Kartika",
    "Lestari",
    "Made",
    "Nur",
    "Putri",
    "Rahmat",
    "Rina",
    "Sari",
    "Taufik",
    "Wahyu",
    "Yuni",
    "Zainal",
    "Andi",
    "Bambang",
    "Hadi",
    "Ikhsan",
    "Lina",
    "Maya",
    "Novi",
    "Rudi",
]
LAST = [
    "Setiawan",
    "Rahmawati",
    "Gunawan",
    "Hidayah",
    "Marlina",
    "Maulana",
    "Lestari",
    "Saputra",
    "Wijaya",
    "Pratama",
    "Kurniawan",
    "Susanti",
    "Hartono",
    "Siregar",
    "Nasution",
    "Simanjuntak",
    "Tanjung",
    "Hasibuan",
    "Syahputra",
    "Utami",
    "Anggraini",
    "Firmansyah",
    "Ramadhan",
    "Nugroho",
    "Santoso",
    "Wibowo",
    "Halim",
    "Effendi",
    "Sembiring",
    "Abdullah",
]
ORGANISATIONS = [
    "Yayasan Pendidikan Nusantara", "Forum Masyarakat Peduli Kalbar", "PT Khatulistiwa Makmur",
    "Koperasi Tani Sejahtera", "Ikatan Mahasiswa Pontianak", "Dinas Sosial Kabupaten Sambas",
    "Majelis Ulama Indonesia Kalbar", "Persatuan Guru Republik Indonesia", "LSM Lingkar Borneo",
    "Karang Taruna Kecamatan Pontianak Barat", "Universitas Tanjungpura", "BUMDes Maju Bersama",
    "Pemerintah Kabupaten Kubu Raya", "Himpunan Pengusaha Muda Indonesia", "Gereja Katedral",
]  # fmt: skip
ORIGINS = [
    "Pontianak",
    "Kubu Raya",
    "Mempawah",
    "Singkawang",
    "Sambas",
    "Sanggau",
    "Ketapang",
    "Sintang",
    "Kapuas Hulu",
    "Landak",
    "Bengkayang",
    "Melawi",
    "Sekadau",
    "Kayong Utara",
]
COMPLAINT_SUBJECTS = [
    "Pelayanan informasi lambat", "Petugas tidak ramah", "Persyaratan layanan tidak jelas",
    "Bantuan sosial belum diterima", "Antrian terlalu lama", "Website tidak dapat diakses",
    "Dugaan pungutan di luar ketentuan", "Jadwal pelayanan tidak sesuai", "Ruang tunggu kurang",
    "Surat belum dibalas", "Hibah rumah ibadah belum cair", "Beasiswa belum diterima",
    "Informasi harga bahan pokok", "Izin usaha lambat diproses", "Kendaraan dinas dipakai pribadi",
    "Tidak ada petugas di loket", "Nomor pengaduan tidak aktif", "Data penerima bantuan salah",
]  # fmt: skip
SENTENCES = [
    "Saya sudah datang dua kali namun belum ada kejelasan.",
    "Mohon ditindaklanjuti karena sangat merugikan masyarakat.",
    "Petugas meminta kami kembali minggu depan tanpa alasan yang jelas.",
    "Kami sudah mengirim surat resmi tetapi belum ada jawaban.",
    "Informasi di papan pengumuman berbeda dengan yang disampaikan petugas.",
    "Kejadian ini terjadi pada hari kerja sekitar pukul sepuluh pagi.",
    "Kami berharap ada perbaikan pelayanan ke depannya.",
    "Dokumen yang diminta sudah kami lengkapi sesuai persyaratan.",
    "Mohon informasi kapan proses ini dapat diselesaikan.",
    "Terima kasih atas perhatian Bapak dan Ibu.",
]
PURPOSES = [
    "Konsultasi persyaratan hibah", "Menyerahkan berkas proposal", "Koordinasi kegiatan",
    "Menanyakan tindak lanjut surat", "Konsultasi program bantuan", "Bertemu kepala bagian",
    "Konsultasi data ekonomi daerah", "Mengambil surat balasan", "Konsultasi beasiswa",
]  # fmt: skip
AUDIENCE_TOPICS = [
    "Audiensi program pemberdayaan masyarakat", "Silaturahmi dan penyampaian aspirasi",
    "Permohonan dukungan kegiatan keagamaan", "Paparan rencana investasi daerah",
    "Koordinasi penyelenggaraan festival budaya", "Penyampaian hasil penelitian",
]  # fmt: skip
FACILITY_PURPOSES = [
    "Rapat koordinasi", "Pelatihan aparatur", "Sosialisasi program", "Perjalanan dinas",
    "Seminar daerah", "Kunjungan lapangan", "Acara pelantikan",
]  # fmt: skip
OUTCOMES = [
    "Sudah dijelaskan persyaratan dan alur layanan.",
    "Berkas diterima lengkap, akan diproses sesuai standar.",
    "Diarahkan ke bagian terkait untuk tindak lanjut.",
    "Konsultasi selesai, pemohon puas dengan penjelasan.",
]
ANSWERS = [
    "Terima kasih atas pengaduan Anda. Kami telah menindaklanjuti dengan memberikan pembinaan "
    "kepada petugas terkait.",
    "Pengaduan Anda telah kami verifikasi; bantuan akan disalurkan pada tahap berikutnya.",
    "Persyaratan layanan telah kami perbarui di papan informasi dan situs web.",
    "Setelah pemeriksaan, kami tidak menemukan pungutan; petugas telah diingatkan kembali.",
]
COMMENTS = [
    "", "", "", "", "Pelayanan sudah baik.", "Petugas ramah dan cepat.",
    "Ruang tunggu perlu diperbaiki.", "Informasi persyaratan sebaiknya di situs web.",
    "Antrian terlalu lama.", "Terima kasih, sangat membantu.",
]  # fmt: skip

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # checked against cases.numbering at start-up
TOKEN_ALPHABET = string.ascii_letters + string.digits + "-_"

# Kind mix (renormalised per bureau over the kinds its standards allow) and channel mix per kind.
KIND_WEIGHTS = {"visit": 28, "consultation": 27, "complaint": 25, "audience": 10, "facility": 10}
CHANNELS = {
    "visit": {"face_to_face": 80, "kiosk": 20},
    "consultation": {"face_to_face": 80, "kiosk": 20},
    "complaint": {
        "web": 28, "whatsapp": 14, "email": 10, "lapor": 10, "phone": 8, "face_to_face": 8,
        "complaint_box": 6, "letter": 6, "api": 5, "kiosk": 3, "fax": 2,
    },
    "audience": {"letter": 45, "web": 35, "email": 15, "api": 5},
    "facility": {"web": 55, "letter": 25, "face_to_face": 15, "api": 5},
}  # fmt: skip
OFFICE_CHANNELS = {"face_to_face", "kiosk", "complaint_box", "letter", "fax", "phone"}
PUBLIC_CHANNELS = {"web", "kiosk", "api"}  # no staff member records the receipt
CLASS_WEIGHTS = {"ringan": 30, "normatif": 45, "tidak_berkadar_pengawasan": 15,
                 "berkadar_pengawasan": 10}  # fmt: skip
KIND_CODES = {"visit": "TAMU", "consultation": "KONS", "audience": "AUD", "facility": "FAS",
              "complaint": "ADU"}  # fmt: skip

# How cases end (besides the natural course cut at "now").
P_STALE = 0.045  # older than STALE_AGE: stuck open at some step (overdue backlog)
STALE_AGE = dt.timedelta(days=21)
P_STALE_WAITING = 0.3  # of the stuck ones: left waiting on the requester
P_ON_TIME = {"complaint": 0.86, "audience": 0.8, "facility": 0.9}


# =================================================================================================
# Reference data (ORM, small)
# =================================================================================================


@dataclass
class StdInfo:
    id: int
    version_id: int
    name: str
    slug: str
    service_kind: str
    primary: object  # Duration or None (the first fixed completion time)
    service: object  # Duration or None (the next completion time: visits after serving)
    classes: list  # [(code, name, Duration)]
    ticket_prefix: str = "U"


@dataclass
class BureauInfo:
    id: int
    slug: str
    code: str
    name: str
    weight: float
    divisions: list  # [(id, name)]
    staff: dict  # role -> [user ids]
    handlers: dict  # division id -> [user ids]
    standards: list  # [StdInfo]
    kinds: dict  # kind -> weight
    classes: list  # complaint classes when a complaint names no standard
    provisional: object  # Duration
    resources: list = field(default_factory=list)  # [resource id]
    visitors: list = field(default_factory=list)  # [(id, name, phone, origin)]
    walk_in: list = field(default_factory=list)  # [StdInfo] consultation standards

    def by_kind(self, kind: str) -> list:
        return [s for s in self.standards if s.service_kind == kind]


@dataclass
class Context:
    now: dt.datetime
    start: dt.datetime
    seed: int
    bureaus: list
    calendar: object
    texts: dict
    method: str
    plan: list = field(default_factory=list)
    chunk: int = 10000


CTX: Context | None = None  # inherited by the forked workers


def log(message: str, started: float | None = None) -> None:
    stamp = f"[{time.perf_counter() - T0:7.1f}s]"
    extra = f" ({time.perf_counter() - started:.1f}s)" if started is not None else ""
    print(f"{stamp} {message}{extra}", flush=True)


T0 = time.perf_counter()


def reset_database(url: str) -> None:
    """DROP and CREATE the database named in ``url`` (connected to the ``postgres`` database)."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if name in PROTECTED_DATABASES or name.startswith(PROTECTED_PREFIXES):
        raise SystemExit(f"Refusing to reset the database {name!r}.")
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    log(f"database {name} dropped and created")


def ensure_units(total: int) -> None:
    """Extra bureaus (each with up to three divisions) until the tree has ``total`` units."""
    from layanan.core.models import Unit, UnitKind

    setda = Unit.objects.get(slug="setda")
    count = Unit.objects.count()
    specs = list(EXTRA_BUREAUS)
    n = len(specs)
    while count < total:
        if not specs:
            n += 1
            specs.append(
                (f"biro-tambahan-{n}", f"Biro Tambahan {n}", f"BT{n}",
                 [f"Bagian {i} Biro Tambahan {n}" for i in (1, 2, 3)])
            )  # fmt: skip
        slug, name, code, divisions = specs.pop(0)
        bureau, created = Unit.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "short_name": name, "code": code, "kind": UnitKind.BUREAU,
                      "parent": setda, "position": 10 + n},
        )  # fmt: skip
        count += created
        for i, division in enumerate(divisions):
            if count >= total:
                break
            _unit, created = Unit.objects.get_or_create(
                slug=f"{slug}-bagian-{i + 1}",
                defaults={"name": division, "code": f"{code}{i + 1}", "kind": UnitKind.DIVISION,
                          "parent": bureau, "position": i},
            )  # fmt: skip
            count += created


def clone_standards(bureau, template) -> int:
    """Copy the template bureau's published standards to ``bureau`` and publish them."""
    from layanan.accounts.actors import SYSTEM
    from layanan.catalog.models import ServiceStandard, StandardVersion, VersionStatus
    from layanan.catalog.services import LIST_FIELDS, SCALAR_FIELDS, version_publish

    made = 0
    for source in ServiceStandard.objects.published().filter(unit=template):
        if ServiceStandard.objects.filter(unit=bureau, slug=source.slug).exists():
            continue
        version = source.published_version
        standard = ServiceStandard.objects.create(
            unit=bureau,
            name=source.name,
            slug=source.slug,
            service_kind=source.service_kind,
            accepts_complaints=source.accepts_complaints,
            position=source.position,
        )
        fields = {name: getattr(version, name) for name in (*SCALAR_FIELDS, *LIST_FIELDS)}
        draft = StandardVersion.objects.create(
            standard=standard,
            number=1,
            status=VersionStatus.DRAFT,
            source_name=version.source_name,
            change_note=f"bench: copied from {template.slug}/{source.slug}",
            **fields,
        )
        for related in ("completion_times", "fees", "complaint_channels", "complaint_classes"):
            for child in getattr(version, related).all():
                child.pk = None
                child.version = draft
                child.save()
        version_publish(actor=SYSTEM, version=draft)
        made += 1
    return made


def ensure_staff(bureaus, divisions_of) -> None:
    """Staff accounts and memberships (bulk), one password hash for all."""
    from django.contrib.auth.hashers import make_password

    from layanan.accounts.models import Membership, User
    from layanan.core.models import Unit

    password = make_password(BENCH_PASSWORD)
    wanted = {}  # username -> (unit, role, full name)
    names = itertools.cycle(f"{f} {last}" for last in LAST for f in FIRST)
    root = Unit.objects.get(slug="pemprov-kalbar")
    for username, role in GLOBAL_STAFF.items():
        wanted[username] = (root, role, next(names))
    for bureau in bureaus:
        for suffix, role in BUREAU_STAFF.items():
            wanted[staff_username(bureau.slug, suffix)] = (bureau, role, next(names))
        for division in divisions_of[bureau.pk]:
            for suffix, role in DIVISION_STAFF.items():
                wanted[staff_username(division.slug, suffix)] = (division, role, next(names))
    existing = set(User.objects.filter(username__in=wanted).values_list("username", flat=True))
    User.objects.bulk_create(
        [
            User(
                username=username,
                full_name=full_name,
                email=f"{username}@bench.layanan.test",
                password=password,
                is_staff=role == "admin",
                is_superuser=role == "admin",
            )
            for username, (_unit, role, full_name) in wanted.items()
            if username not in existing
        ],
        batch_size=1000,
    )
    ids = dict(User.objects.filter(username__in=wanted).values_list("username", "pk"))
    Membership.objects.bulk_create(
        [
            Membership(user_id=ids[username], unit=unit, role=role)
            for username, (unit, role, _name) in wanted.items()
        ],
        ignore_conflicts=True,
        batch_size=1000,
    )


def setup_reference(args, now: dt.datetime) -> list[BureauInfo]:
    """Migrations, seeds, holidays, extra units, standards, staff, resources, templates."""
    from django.core.management import call_command
    from django.db import transaction

    from layanan.accounts.models import Membership
    from layanan.audiences.models import ReplyLetterTemplate
    from layanan.catalog.models import ServiceStandard
    from layanan.complaints.services import complaint_classes_for, provisional_duration
    from layanan.core.models import Unit, UnitKind
    from layanan.facilities.models import Resource
    from layanan.surveys.models import SurveyPeriod
    from layanan.visits.services import PREFIXES, walk_in_services
    from layanan.workdays.models import Holiday
    from layanan.workdays.services import holidays_sync

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    log("migrate", started)
    started = time.perf_counter()
    call_command("load_demo", no_users=True, verbosity=0, stdout=io.StringIO())
    log("load_demo --no-users (organisation, holidays, seed standards published)", started)
    first_year = (now - dt.timedelta(days=366 * args.years)).year
    with transaction.atomic():
        for year in range(first_year - 1, now.year + 2):
            if not Holiday.objects.in_year(year).exists():
                holidays_sync(year=year)
        ensure_units(args.units)
        bureaus = list(Unit.objects.filter(kind=UnitKind.BUREAU).order_by("path"))
        templates = {u.slug: u for u in bureaus if u.slug in TEMPLATE_BUREAUS}
        extra = [b for b in bureaus if b.slug not in templates]
        for i, bureau in enumerate(extra):
            clone_standards(bureau, templates[TEMPLATE_BUREAUS[i % len(TEMPLATE_BUREAUS)]])
        divisions_of = {
            b.pk: list(Unit.objects.filter(parent=b, kind=UnitKind.DIVISION).order_by("path"))
            for b in bureaus
        }
        ensure_staff(bureaus, divisions_of)
        for bureau in bureaus:
            facility = ServiceStandard.objects.published().filter(
                unit=bureau, service_kind="facility"
            )
            if facility.exists():
                for name, kind, capacity in RESOURCES:
                    Resource.objects.get_or_create(
                        unit=bureau, name=name,
                        defaults={"kind": kind, "capacity": capacity, "location": bureau.name},
                    )  # fmt: skip
            audience = ServiceStandard.objects.published().filter(
                unit=bureau, service_kind="audience"
            )
            if audience.exists():
                ReplyLetterTemplate.objects.get_or_create(
                    unit=bureau,
                    defaults={
                        "subject": "Balasan permohonan audiensi",
                        "body": "Menindaklanjuti surat {{ organisation }} nomor "
                        "{{ letter_number }}, audiensi dijadwalkan {{ schedule }} di {{ place }}.",
                        "signatory_title": f"Kepala {bureau.name}",
                    },
                )
        for year in range(first_year, now.year + 1):
            for half, (start, end) in enumerate(
                ((dt.date(year, 1, 1), dt.date(year, 6, 30)),
                 (dt.date(year, 7, 1), dt.date(year, 12, 31))), start=1
            ):  # fmt: skip
                SurveyPeriod.objects.get_or_create(
                    slug=f"semester-{half}-{year}",
                    defaults={"name": f"Semester {'I' * half} {year}", "start": start, "end": end},
                )
            SurveyPeriod.objects.get_or_create(
                slug=f"tahun-{year}",
                defaults={"name": f"Tahun {year}", "start": dt.date(year, 1, 1),
                          "end": dt.date(year, 12, 31)},
            )  # fmt: skip

    # What the workers need, as plain data.
    rng = random.Random(args.seed)
    infos = []
    for bureau in bureaus:
        staff: dict[str, list[int]] = defaultdict(list)
        handlers: dict[int, list[int]] = defaultdict(list)
        division_ids = {d.pk for d in divisions_of[bureau.pk]}
        for user_id, unit_id, role in Membership.objects.filter(
            unit__in=[bureau, *divisions_of[bureau.pk]]
        ).values_list("user_id", "unit_id", "role"):
            staff[role].append(user_id)
            if unit_id in division_ids:
                handlers[unit_id].append(user_id)
        services = walk_in_services(bureau)
        standards = []
        for std in (
            ServiceStandard.objects.published()
            .filter(unit=bureau)
            .select_related("published_version")
            .prefetch_related("published_version__completion_times",
                              "published_version__complaint_classes")
            .order_by("position", "pk")
        ):  # fmt: skip
            version = std.published_version
            primary = version.primary_completion_time()
            rest = [ct for ct in version.completion_times.all() if primary is None or ct != primary]
            prefix = "U"
            for index, candidate in enumerate(services):
                if candidate.pk == std.pk:
                    prefix = PREFIXES[index % len(PREFIXES)]
            standards.append(
                StdInfo(
                    id=std.pk,
                    version_id=version.pk,
                    name=version.name,
                    slug=std.slug,
                    service_kind=std.service_kind,
                    primary=primary.as_duration() if primary else None,
                    service=rest[0].as_duration() if rest else None,
                    classes=[(c.code, c.name, c.as_duration())
                             for c in version.complaint_classes.all()],
                    ticket_prefix=prefix,
                )
            )  # fmt: skip
        classes = complaint_classes_for(unit=bureau)
        kinds = {"visit": KIND_WEIGHTS["visit"], "complaint": KIND_WEIGHTS["complaint"]}
        for kind in ("consultation", "audience", "facility"):
            if any(s.service_kind == kind for s in standards):
                kinds[kind] = KIND_WEIGHTS[kind]
        infos.append(
            BureauInfo(
                id=bureau.pk,
                slug=bureau.slug,
                code=bureau.code or bureau.slug.upper(),
                name=bureau.name,
                weight=(1.3 if bureau.slug in TEMPLATE_BUREAUS else 1.0) * rng.uniform(0.7, 1.3),
                divisions=[(d.pk, d.name) for d in divisions_of[bureau.pk]],
                staff=dict(staff),
                handlers=dict(handlers),
                standards=standards,
                kinds=kinds,
                classes=[(c.code, c.name, c.as_duration()) for c in classes],
                provisional=provisional_duration(classes),
                resources=list(
                    Resource.objects.filter(unit=bureau).order_by("pk").values_list("pk", flat=True)
                ),
                walk_in=[s for s in standards if s.service_kind == "consultation"],
            )
        )
    return infos


def make_visitors(bureaus, rng, per_bureau: int) -> None:
    """A pool of returning visitors per bureau (unique phone per unit), written with COPY."""
    from django.db import connection

    from layanan.visits.models import Visitor

    start_id = (Visitor.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    next_id = start_id
    rows = []
    now = CTX.now
    for bureau in bureaus:
        phones = set()
        while len(phones) < per_bureau:
            phones.add("628" + "".join(rng.choices(string.digits, k=rng.randint(8, 10))))
        for phone in sorted(phones):
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            origin = rng.choice(ORGANISATIONS + ORIGINS)
            bureau.visitors.append((next_id, name, phone, origin))
            rows.append((next_id, CTX.start, now, bureau.id, phone, name, origin))
            next_id += 1
    write_rows(connection, "visits_visitor", VISITOR_COLUMNS, rows)
    reset_sequence(connection, "visits_visitor")


# =================================================================================================
# The plan (parent process): when, where, what, number, code, ticket, booking slot
# =================================================================================================


def cumulative(weights):
    return list(itertools.accumulate(weights))


def plan_cases(ctx: Context, n: int, rng: random.Random):
    """One tuple per case, in order of receipt, ids 1..n:
    ``(id, received_at, bureau index, kind, standard index, channel, number, code, extra)``."""
    cal = ctx.calendar
    today = ctx.now.astimezone(WIB).date()
    first = ctx.start.astimezone(WIB).date()
    days = [first + dt.timedelta(days=i) for i in range((today - first).days + 1)]
    growth = [0.75 + 0.5 * i / max(len(days) - 1, 1) for i in range(len(days))]
    working = [cal.is_working_day(d) for d in days]
    office_cum = cumulative(g * (1.0 if w else 0.0) for g, w in zip(growth, working, strict=True))
    online_cum = cumulative(g * (1.0 if w else 0.35) for g, w in zip(growth, working, strict=True))
    bureau_cum = cumulative(b.weight for b in ctx.bureaus)
    kind_tables = [
        (list(b.kinds), cumulative(b.kinds.values())) for b in ctx.bureaus
    ]  # fmt: skip
    channel_tables = {k: (list(v), cumulative(v.values())) for k, v in CHANNELS.items()}
    now = ctx.now
    rows = []
    choose = bisect.bisect_right
    random_ = rng.random
    for _ in range(n):
        b = choose(bureau_cum, random_() * bureau_cum[-1])
        names, cum = kind_tables[b]
        kind = names[choose(cum, random_() * cum[-1])]
        names, cum = channel_tables[kind]
        channel = names[choose(cum, random_() * cum[-1])]
        office = channel in OFFICE_CHANNELS or kind in ("visit", "consultation")
        table = office_cum if office else online_cum
        day = days[min(choose(table, random_() * table[-1]), len(days) - 1)]
        if office or random_() < 0.6:
            seconds = 7.5 * 3600 + random_() * 8.5 * 3600  # 07:30–16:00
        else:
            seconds = 6 * 3600 + random_() * 17 * 3600  # 06:00–23:00
        received = dt.datetime(day.year, day.month, day.day, tzinfo=WIB) + dt.timedelta(
            seconds=int(seconds)
        )
        if received > now:
            received = now - dt.timedelta(seconds=int(random_() * 6 * 3600))
        received = received.astimezone(UTC)
        bureau = ctx.bureaus[b]
        std = -1
        if kind in ("consultation", "audience", "facility"):
            choices = [i for i, s in enumerate(bureau.standards) if s.service_kind == kind]
            std = choices[int(random_() * len(choices))]
        elif kind == "complaint" and random_() < 0.7:
            std = int(random_() * len(bureau.standards))
        rows.append([received, b, kind, std, channel])
    rows.sort(key=lambda r: r[0])

    counters: Counter = Counter()
    queue: Counter = Counter()
    cursor: dict[int, dt.datetime] = {}
    codes: set[str] = set()
    plan = []
    for case_id, (received, b, kind, std, channel) in enumerate(rows, start=1):
        bureau = ctx.bureaus[b]
        local = received.astimezone(WIB)
        code = KIND_CODES[kind]
        counters[(bureau.id, code, local.year)] += 1
        number = f"{bureau.code}/{code}/{local.year}/{counters[(bureau.id, code, local.year)]:06d}"
        public = "".join(rng.choices(CODE_ALPHABET, k=12))
        while public in codes:
            public = "".join(rng.choices(CODE_ALPHABET, k=12))
        codes.add(public)
        extra = None
        if kind in ("visit", "consultation"):
            service = bureau.standards[std] if std >= 0 else None
            key = (bureau.id, service.id if service else 0, local.date())
            queue[key] += 1
            prefix = service.ticket_prefix if service else "U"
            visitor = bureau.visitors[int(rng.random() * len(bureau.visitors))]
            extra = (local.date(), queue[key], f"{prefix}-{queue[key]:03d}", visitor)
        elif kind == "facility":
            resource = bureau.resources[int(rng.random() * len(bureau.resources))]
            wanted = local.replace(hour=8, minute=0, second=0) + dt.timedelta(
                days=rng.randint(2, 21), hours=rng.randint(0, 6)
            )
            starts = max(wanted.astimezone(UTC), cursor.get(resource, wanted.astimezone(UTC)))
            ends = starts + dt.timedelta(hours=rng.choice((2, 2, 3, 4, 8)))
            cursor[resource] = ends
            extra = (resource, starts, ends)
        plan.append((case_id, received, b, kind, std, channel, number, public, extra))
    return plan, counters, queue


# =================================================================================================
# Columns (checked against the models at start-up)
# =================================================================================================

CASE_COLUMNS = (
    "id", "created_at", "updated_at", "kind", "number", "public_code", "unit_id", "standard_id",
    "standard_version_id", "channel", "status", "subject", "description", "requester_name",
    "requester_email", "requester_phone", "requester_organisation", "is_anonymous",
    "is_confidential", "received_at", "due_at", "first_response_at", "answered_at", "closed_at",
    "paused_since", "sla_value", "sla_unit", "sla_text", "sla_state", "due_soon_notified_at",
    "overdue_notified_at", "assigned_unit_id", "assignee_id", "created_by_id", "reopen_count",
)  # fmt: skip
EVENT_COLUMNS = ("case_id", "at", "actor_id", "kind", "old_value", "new_value", "note",
                 "public_note", "is_internal")  # fmt: skip
PAUSE_COLUMNS = ("case_id", "started_at", "ended_at")
COMPLAINT_COLUMNS = ("case_id", "class_code", "class_name", "classified_at", "location",
                     "lapor_number", "answer", "answered_by_id", "letter_number", "letter_date",
                     "letter_city", "letter_subject", "letter_signatory_title",
                     "letter_signatory_name", "letter_signatory_nip")  # fmt: skip
VISIT_COLUMNS = (
    "case_id", "visitor_id", "origin", "purpose", "requirements_checked", "queue_day",
    "queue_number", "ticket", "arrived_at", "called_at", "served_at", "finished_at", "desk",
    "routed_to_id", "outcome", "service_id",
)  # fmt: skip
BOOKING_COLUMNS = ("case_id", "resource_id", "starts_at", "ends_at", "participants", "purpose",
                   "organisation", "state", "decided_by_id", "decided_at", "reason",
                   "letter_number", "letter_date")  # fmt: skip
# Columns the simulation leaves empty: the letters and notices of a case that came by web
# (no request letter, no answer letter issued) and an audience without an official account.
BLANK_DETAIL_VALUES = {
    "letter_number": "", "letter_date": None, "letter_city": "", "letter_subject": "",
    "letter_signatory_title": "", "letter_signatory_name": "", "letter_signatory_nip": "",
    "official_user_id": None,
}  # fmt: skip
AUDIENCE_COLUMNS = (
    "case_id", "organisation", "topic", "preferred_date_1", "preferred_date_2",
    "preferred_date_3", "participants", "official_requested", "letter_number", "letter_date",
    "instruction", "disposed_by_id", "disposed_at", "schedule_starts_at", "schedule_place",
    "schedule_official", "scheduled_by_id", "scheduled_at", "reply_number", "reply_date",
    "reply_subject", "reply_body", "reply_signatory_title", "reply_signatory_name",
    "reply_signatory_nip", "reply_city", "replied_by_id", "replied_at", "official_user_id",
)  # fmt: skip
VISITOR_COLUMNS = ("id", "created_at", "updated_at", "unit_id", "phone", "name", "origin")
RESPONSE_COLUMNS = (
    "created_at", "updated_at", "unit_id", "service_id", "case_id", "channel", "answered_on",
    "u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9", "gender", "age", "education",
    "occupation", "comment", "source_name",
)  # fmt: skip
INVITATION_COLUMNS = ("created_at", "updated_at", "case_id", "token", "expires_at", "used_at")


def table_models() -> dict:
    from layanan.audiences.models import AudienceDetail
    from layanan.cases.models import Case, CaseEvent, CasePause
    from layanan.complaints.models import ComplaintDetail
    from layanan.facilities.models import BookingDetail
    from layanan.surveys.models import SurveyInvitation, SurveyResponse
    from layanan.visits.models import VisitDetail, Visitor

    return {
        "cases_case": (Case, CASE_COLUMNS),
        "cases_caseevent": (CaseEvent, EVENT_COLUMNS),
        "cases_casepause": (CasePause, PAUSE_COLUMNS),
        "complaints_complaintdetail": (ComplaintDetail, COMPLAINT_COLUMNS),
        "visits_visitdetail": (VisitDetail, VISIT_COLUMNS),
        "bookings_bookingdetail": (BookingDetail, BOOKING_COLUMNS),
        "bookings_audiencedetail": (AudienceDetail, AUDIENCE_COLUMNS),
        "visits_visitor": (Visitor, VISITOR_COLUMNS),
        "surveys_surveyresponse": (SurveyResponse, RESPONSE_COLUMNS),
        "surveys_surveyinvitation": (SurveyInvitation, INVITATION_COLUMNS),
    }


def check_columns() -> None:
    """Every column list covers its model's concrete fields exactly (an auto ``id`` may be left
    to the database)."""
    from layanan.cases import numbering

    if numbering.CODE_ALPHABET != CODE_ALPHABET or numbering.CODE_LENGTH != 12:
        raise SystemExit("cases.numbering changed its code alphabet or length: update generate.py")
    for table, (model, columns) in table_models().items():
        if model._meta.db_table != table:
            raise SystemExit(f"{model.__name__} is stored in {model._meta.db_table}, not {table}")
        expected = {f.column for f in model._meta.concrete_fields}
        have = set(columns)
        missing = expected - have - ({"id"} if model._meta.pk.column == "id" else set())
        unknown = have - expected
        if missing or unknown:
            raise SystemExit(
                f"{table}: columns missing {sorted(missing)}, unknown {sorted(unknown)}"
            )


def write_rows(connection, table: str, columns, rows) -> None:
    """Append ``rows`` to ``table`` with COPY (or bulk_create with ``--method orm``)."""
    if not rows:
        return
    if CTX is not None and CTX.method == "orm":
        model, _cols = table_models()[table]
        attnames = {f.column: f.attname for f in model._meta.concrete_fields}
        names = [attnames[c] for c in columns]
        json_columns = {
            i for i, c in enumerate(columns)
            if model._meta.get_field(names[i]).get_internal_type() == "JSONField"
        }  # fmt: skip
        objs = []
        for row in rows:
            if json_columns:
                row = [json.loads(v) if i in json_columns else v for i, v in enumerate(row)]
            objs.append(model(**dict(zip(names, row, strict=True))))
        model.objects.bulk_create(objs, batch_size=5000)
        return
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    sql = f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN"
    with connection.cursor() as cursor, cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


def reset_sequence(connection, table: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence(%s, 'id'), "
            f"coalesce((SELECT max(id) FROM {connection.ops.quote_name(table)}), 0) + 1, false)",
            [table],
        )


def keep_timestamps(enable: bool) -> None:
    """bulk_create would overwrite created_at/updated_at with "now" (auto_now[_add]): the ORM
    method switches that off in the worker, so the rows keep their simulated times."""
    from django.apps import apps

    for model in apps.get_models():
        for f in model._meta.concrete_fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                if not enable:
                    f._bench_auto = (f.auto_now, f.auto_now_add)
                    f.auto_now = f.auto_now_add = False
                elif hasattr(f, "_bench_auto"):
                    f.auto_now, f.auto_now_add = f._bench_auto


# =================================================================================================
# The simulation of one case (workers)
# =================================================================================================

RUNNING = ("received", "verified", "in_progress")
FINAL = ("closed", "rejected", "withdrawn")
SHORT_UNITS = ("minutes", "hours")


class Sim:
    """Applies a case's steps in time order, like ``cases.workflow.case_transition`` would, and
    the SLA sweep between them; stops at "now" (or where a stuck case stopped)."""

    __slots__ = (
        "answered",
        "cal",
        "case",
        "case_id",
        "closed",
        "detail",
        "due",
        "due_soon_at",
        "dur",
        "events",
        "first_response",
        "last",
        "long",
        "now",
        "overdue_at",
        "paused",
        "pauses",
        "received",
        "rng",
        "short",
        "state",
        "status",
        "texts",
    )  # fmt: skip

    def __init__(self, ctx, rng, case_id, received, dur, texts):
        self.cal = ctx.calendar
        self.now = ctx.now
        self.rng = rng
        self.case_id = case_id
        self.received = received
        self.status = "received"
        self.first_response = self.answered = self.closed = self.paused = None
        self.pauses = []
        self.dur = dur
        self.due = self.deadline(dur)
        self.state = "on_track"
        self.due_soon_at = self.overdue_at = None
        self.events = []
        self.case = {}  # other case columns changed by steps
        self.detail = {}
        self.last = received
        self.texts = texts
        self.short, self.long = texts["short"], texts["long"]

    def deadline(self, dur):
        from layanan.workdays.deadlines import deadline

        if dur is None or dur.value is None or not dur.unit:
            return None
        paused = [(s, e) for s, e in self.pauses if e is not None]
        return deadline(self.received, dur, paused=paused or None, calendar=self.cal)

    # -- the sweep between two steps ----------------------------------------------------------
    def sweep(self, until):
        if self.status not in RUNNING or self.paused is not None or self.due is None:
            return
        due = self.due
        threshold = self.short if self.dur.unit in SHORT_UNITS else self.long
        end = min(until, self.now)
        if self.overdue_at is None:
            if self.due_soon_at is None:
                w = max(due - threshold, self.last) + dt.timedelta(
                    seconds=self.rng.random() * SWEEP_EVERY
                )
                if w < due and w < end:
                    self.due_soon_at = w
                    self.state = "due_soon"
                    self.event(w, "sla_due_soon", "", due.isoformat(), None, "", True)
            w = max(due, self.last) + dt.timedelta(seconds=self.rng.random() * SWEEP_EVERY)
            if w < end:
                self.overdue_at = w
                self.state = "overdue"
                self.event(
                    w, "sla_overdue", "", due.isoformat(), None, self.texts["escalated"], True
                )

    def set_duration(self, at, dur):
        """Hold the case to ``dur`` from now on (recomputed from receipt); a case whose due time
        moved beyond the warning threshold is back on track at the next sweep."""
        self.dur = dur
        if self.paused is None:
            self.due = self.deadline(dur)
        self.back_on_track(at)

    def back_on_track(self, at):
        if self.state == "on_track" or self.status not in RUNNING:
            return
        if self.due is None:
            return
        threshold = self.short if self.dur.unit in SHORT_UNITS else self.long
        if self.due > at + threshold:
            self.state = "on_track"
            self.due_soon_at = self.overdue_at = None

    def event(self, at, kind, old, new, actor, note, internal):
        # What a public step says to the requester is its public note; an internal one's note
        # is for staff (cases.models.CaseEvent).
        staff_note, public_note = (note, "") if internal else ("", note)
        self.events.append(
            (self.case_id, at, actor, kind, old, new, staff_note, public_note, internal)
        )
        if at > self.last:
            self.last = at

    # -- steps ---------------------------------------------------------------------------------
    def step(self, at, kind, *, new="", old="", actor=None, note="", internal=False):
        """A timeline event without a status change; False once "now" has passed."""
        if at > self.now:
            return False
        self.sweep(at)
        self.event(at, kind, old, new, actor, note, internal)
        return True

    def to(self, at, status, *, actor=None, note="", internal=False):
        """``case_transition``: the time fields, pauses, the due time and the ``status`` event."""
        if at > self.now:
            return False
        self.sweep(at)
        old = self.status
        resumed = old == "waiting_on_requester"
        if resumed:
            self.pauses[-1][1] = at
            self.paused = None
        if status == "waiting_on_requester":
            self.pauses.append([at, None])
            self.paused = at
        if self.first_response is None and old == "received":
            self.first_response = at
        if status == "answered":
            self.answered = at
        if status in FINAL:
            self.closed = at
        self.status = status
        if resumed:
            self.due = self.deadline(self.dur)
            self.back_on_track(at)
        self.event(at, "status", old, status, actor, note, internal)
        return True

    def finish(self):
        self.sweep(self.now)


def pick(rng, seq):
    return seq[int(rng.random() * len(seq))] if seq else None


def office_delay(rng, mean_hours: float, minimum_minutes: float = 2) -> dt.timedelta:
    return dt.timedelta(minutes=minimum_minutes + rng.expovariate(1 / (mean_hours * 60)))


def answer_time(rng, kind, start, due):
    """When the answer goes out: mostly before the due time, sometimes late."""
    if due is None:
        return start + office_delay(rng, 24)
    if rng.random() < P_ON_TIME[kind] and due > start:
        return start + (due - start) * rng.uniform(0.15, 0.97)
    return max(due, start) + office_delay(rng, 48, 30)


def requester(rng, kind, channel):
    """(name, email, phone, organisation, anonymous, confidential)."""
    if kind == "complaint" and rng.random() < 0.06:
        return "", "", "", "", True, False
    name = f"{pick(rng, FIRST)} {pick(rng, LAST)}"
    handle = name.lower().replace(" ", ".")
    email = f"{handle}{int(rng.random() * 1000)}@contoh.id" if rng.random() < 0.6 else ""
    phone = "08" + "".join(rng.choices(string.digits, k=10)) if rng.random() < 0.8 else ""
    organisation = pick(rng, ORGANISATIONS) if kind in ("audience", "facility") else ""
    confidential = kind == "complaint" and rng.random() < 0.05
    return name, email, phone, organisation, False, confidential


def description(rng, first: str) -> str:
    return " ".join([first + ".", *rng.sample(SENTENCES, rng.randint(2, 4))])


def simulate_complaint(sim, p, bureau, std, rng):
    _id, received, _b, _kind, _s, channel, _number, _code, _extra = p
    classes = std.classes if std is not None and std.classes else bureau.classes
    officers = bureau.staff.get("complaint_officer", [None])
    officer = pick(rng, officers)
    by_code = {c[0]: c for c in classes}
    names = [c for c in CLASS_WEIGHTS if c in by_code] or [c[0] for c in classes]
    weights = [CLASS_WEIGHTS.get(c, 10) for c in names]
    chosen = by_code[rng.choices(names, weights)[0]] if classes else None
    staff_channel = channel not in ("web", "api", "kiosk")
    recorder = officer if staff_channel else None
    detail = sim.detail
    detail.update(class_code="", class_name="", classified_at=None, answer="", answered_by_id=None)
    detail["location"] = pick(rng, ORIGINS) if rng.random() < 0.5 else ""
    detail["lapor_number"] = (
        f"{received.astimezone(WIB):%y%m}{int(rng.random() * 10**6):06d}"
        if channel == "lapor"
        else ""
    )
    sim.event(received, "received", "", "received", recorder, "", False)
    classified_at_create = staff_channel and chosen is not None and rng.random() < 0.3
    if classified_at_create:
        detail.update(class_code=chosen[0], class_name=chosen[1], classified_at=received)
        sim.set_duration(received, chosen[2])
        sim.event(received, "classified", "", chosen[1], recorder, "", False)
    t = received + office_delay(rng, 3)
    roll = rng.random()
    if roll < 0.03:  # rejected at verification (not a complaint, incomplete, duplicate)
        sim.to(t, "rejected", actor=officer, note=sim.texts["rejected"])
        return
    if not sim.to(t, "verified", actor=officer):
        return
    if chosen is not None and not classified_at_create:
        t += dt.timedelta(minutes=1 + rng.random() * 10)
        if t > sim.now:
            return
        detail.update(class_code=chosen[0], class_name=chosen[1], classified_at=t)
        sim.sweep(t)
        sim.set_duration(t, chosen[2])
        sim.event(t, "classified", "", chosen[1], officer, "", False)
    t += dt.timedelta(minutes=2 + rng.random() * 30)
    division = pick(rng, bureau.divisions)
    handler = pick(rng, bureau.handlers.get(division[0], [])) if rng.random() < 0.7 else None
    if not sim.step(t, "assigned", new=division[1], actor=officer, internal=True):
        return
    sim.case.update(assigned_unit_id=division[0], assignee_id=handler)
    if roll < 0.045:  # withdrawn by the reporter
        sim.to(t + office_delay(rng, 30), "withdrawn", actor=officer)
        return
    if rng.random() < 0.5:
        t += office_delay(rng, 2)
        if not sim.to(t, "in_progress", actor=handler or officer):
            return
    if rng.random() < 0.08:  # asked the reporter for more information
        t += office_delay(rng, 8)
        if not sim.to(t, "waiting_on_requester", actor=handler or officer, note=sim.texts["ask"]):
            return
        t += office_delay(rng, 60, 60)
        if not sim.to(t, "in_progress", actor=handler or officer):
            return
    t = answer_time(rng, "complaint", t, sim.due)
    if not sim.to(t, "answered", actor=officer):
        return
    detail.update(answer=pick(rng, ANSWERS), answered_by_id=officer)
    sim.to(t + office_delay(rng, 20), "closed", actor=officer)


def simulate_visit(sim, p, bureau, std, rng):
    _id, received, _b, kind, _s, channel, _number, _code, extra = p
    _day, _number, ticket, _visitor = extra
    desk_staff = bureau.staff.get("front_desk", [None])
    desk_user = pick(rng, desk_staff)
    desk = f"Meja {1 + int(rng.random() * 3)}"
    detail = sim.detail
    detail.update(called_at=None, served_at=None, finished_at=None, desk="", routed_to_id=None,
                  outcome="")  # fmt: skip
    note = sim.texts["ticket"] % {"ticket": ticket}
    sim.event(received, "received", "", "received", None if channel == "kiosk" else desk_user,
              note, False)  # fmt: skip
    wait = dt.timedelta(minutes=rng.expovariate(1 / 9))
    t = received + wait
    if not sim.step(t, "visit_called", new=f"{ticket} → {desk}", actor=desk_user):
        return
    detail.update(called_at=t, desk=desk)
    if rng.random() < 0.04:  # did not come when called
        t += dt.timedelta(minutes=10)
        if sim.to(t, "withdrawn", actor=desk_user, note=sim.texts["no_show"]):
            detail["finished_at"] = t
        return
    t += dt.timedelta(seconds=rng.random() * 180)
    if not sim.to(t, "in_progress", actor=desk_user, note=sim.texts["served"] % {"desk": desk}):
        return
    detail["served_at"] = t
    if kind == "consultation":  # the admin time is met: held to "sesuai materi" from now on
        sim.dur = std.service if std is not None else None
        sim.due = sim.deadline(sim.dur)
        if rng.random() < 0.25:
            division = pick(rng, bureau.divisions)
            t += dt.timedelta(minutes=2 + rng.random() * 5)
            if not sim.step(t, "routed", new=division[1], actor=desk_user):
                return
            sim.case["assigned_unit_id"] = division[0]
            detail["routed_to_id"] = division[0]
    t += dt.timedelta(minutes=5 + rng.expovariate(1 / 20))
    if t > sim.now:
        return
    outcome = pick(rng, OUTCOMES)
    sim.to(t, "answered", actor=desk_user, note=outcome)
    sim.to(t, "closed", actor=desk_user)
    detail.update(outcome=outcome, finished_at=t)


def simulate_audience(sim, p, bureau, std, rng):
    _id, received, _b, _kind, _s, channel, _number, _code, _extra = p
    head = pick(rng, bureau.staff.get("head", [None]))
    officer = pick(rng, bureau.staff.get("complaint_officer", [None]))
    local = received.astimezone(WIB)
    preferred = local.date() + dt.timedelta(days=rng.randint(5, 30))
    detail = sim.detail
    detail.update(
        organisation=pick(rng, ORGANISATIONS),
        topic=pick(rng, AUDIENCE_TOPICS),
        preferred_date_1=preferred,
        preferred_date_2=preferred + dt.timedelta(days=rng.randint(1, 7))
        if rng.random() < 0.6
        else None,
        preferred_date_3=None,
        participants=rng.randint(3, 30),
        official_requested=f"Kepala {bureau.name}" if rng.random() < 0.7 else "",
        letter_number=f"{int(rng.random() * 900) + 100}/{bureau.code}/{local.year}"
        if channel == "letter"
        else "",
        letter_date=local.date() - dt.timedelta(days=rng.randint(0, 5))
        if channel == "letter"
        else None,
        instruction="", disposed_by_id=None, disposed_at=None, schedule_starts_at=None,
        schedule_place="", schedule_official="", scheduled_by_id=None, scheduled_at=None,
        reply_number="", reply_date=None, reply_subject="", reply_body="",
        reply_signatory_title="", reply_signatory_name="", reply_signatory_nip="", reply_city="",
        replied_by_id=None, replied_at=None,
    )  # fmt: skip
    recorder = None if channel in ("web", "api") else pick(rng, bureau.staff.get("front_desk", []))
    sim.event(received, "received", "", "received", recorder, "", False)
    t = received + office_delay(rng, 6)
    if rng.random() < 0.05:
        sim.to(t, "rejected", actor=head, note=sim.texts["rejected"])
        return
    division = pick(rng, bureau.divisions)
    handler = pick(rng, bureau.handlers.get(division[0], [])) or officer
    instruction = "Mohon dijadwalkan dan disiapkan bahan audiensi."
    if not sim.step(t, "disposition", new=division[1], actor=head, note=instruction):
        return
    detail.update(instruction=instruction, disposed_by_id=head, disposed_at=t)
    sim.case.update(assigned_unit_id=division[0])
    sim.to(t, "verified", actor=head)
    t += office_delay(rng, 12)
    schedule = dt.datetime.combine(preferred, dt.time(10, 0), tzinfo=WIB).astimezone(UTC)
    if not sim.to(t, "in_progress", actor=handler, internal=True):
        return
    sim.step(t, "schedule_proposed", new=f"{preferred:%Y-%m-%d} 10.00", actor=handler)
    detail.update(schedule_starts_at=schedule, schedule_place=f"Ruang Rapat {bureau.name}",
                  schedule_official=f"Kepala {bureau.name}", scheduled_by_id=handler,
                  scheduled_at=t)  # fmt: skip
    t = answer_time(rng, "audience", t, sim.due)
    if not sim.to(t, "answered", actor=officer):
        return
    detail.update(
        reply_date=t.astimezone(WIB).date(), reply_subject="Balasan permohonan audiensi",
        reply_body="Menindaklanjuti surat Saudara, audiensi dijadwalkan sesuai waktu di atas.",
        reply_signatory_title=f"Kepala {bureau.name}", reply_signatory_name="",
        reply_city="Pontianak", replied_by_id=officer, replied_at=t,
    )  # fmt: skip
    sim.to(max(t, schedule) + office_delay(rng, 24), "closed", actor=officer)


def simulate_facility(sim, p, bureau, std, rng):
    _id, received, _b, _kind, _s, channel, _number, _code, extra = p
    resource, starts, ends = extra
    officer = pick(rng, bureau.staff.get("complaint_officer", [None]))
    head = pick(rng, bureau.staff.get("head", [None])) or officer
    detail = sim.detail
    detail.update(resource_id=resource, starts_at=starts, ends_at=ends,
                  participants=rng.randint(5, 120), purpose=pick(rng, FACILITY_PURPOSES),
                  organisation=pick(rng, ORGANISATIONS), state="requested", decided_by_id=None,
                  decided_at=None, reason="")  # fmt: skip
    recorder = None if channel in ("web", "api") else officer
    sim.event(received, "received", "", "received", recorder, "", False)
    t = received + office_delay(rng, 8)
    roll = rng.random()
    if roll < 0.04:
        if sim.to(t, "withdrawn", actor=officer, note=sim.texts["cancelled"]):
            detail.update(state="cancelled", reason=sim.texts["cancelled"])
        return
    if roll < 0.14:
        if sim.to(t, "rejected", actor=head, note=sim.texts["refused"]):
            detail.update(state="refused", decided_by_id=head, decided_at=t,
                          reason=sim.texts["refused"])  # fmt: skip
        return
    if rng.random() > P_ON_TIME["facility"] and sim.due is not None:
        t = max(t, sim.due + office_delay(rng, 6))
    if not sim.to(t, "verified", actor=head):
        return
    sim.to(t, "answered", actor=head, note=sim.texts["approved"])
    detail.update(state="approved", decided_by_id=head, decided_at=t)
    if rng.random() < 0.6:
        sim.to(max(t, ends) + office_delay(rng, 24), "closed", actor=officer)


SIMULATORS = {
    "complaint": simulate_complaint,
    "visit": simulate_visit,
    "consultation": simulate_visit,
    "audience": simulate_audience,
    "facility": simulate_facility,
}


def build_chunk(index: int):
    """Rows of every table for the plan's chunk ``index``."""
    ctx = CTX
    plan = ctx.plan[index * ctx.chunk : (index + 1) * ctx.chunk]
    rng = random.Random(ctx.seed * 1_000_003 + index)
    texts = ctx.texts
    cases, events, pauses = [], [], []
    details = defaultdict(list)
    real_now = ctx.now
    for p in plan:
        case_id, received, b, kind, s, channel, number, code, extra = p
        bureau = ctx.bureaus[b]
        std = bureau.standards[s] if s >= 0 else None
        if kind == "complaint":
            # provisional until classified: the shortest class (complaints.services)
            has_own = std is not None and std.classes
            dur = texts["provisional"][std.id] if has_own else bureau.provisional
        elif kind == "visit":
            dur = None
        else:
            dur = std.primary if std is not None else None
        # A few older cases got stuck before their answer: simulate them up to a random moment.
        limit = real_now
        stale = kind not in ("visit", "consultation") and real_now - received > STALE_AGE
        if stale and rng.random() < P_STALE:
            limit = received + dt.timedelta(hours=rng.uniform(0.5, 72))
        sim = Sim(ctx, rng, case_id, received, dur, texts)
        sim.now = limit
        SIMULATORS[kind](sim, p, bureau, std, rng)
        if limit is not real_now:
            sim.now = real_now
            if (
                sim.status in RUNNING
                and rng.random() < P_STALE_WAITING
                and sim.status != "received"
            ):
                sim.to(sim.last + dt.timedelta(minutes=5), "waiting_on_requester",
                       note=texts["ask"])  # fmt: skip
        sim.finish()
        name, email, phone, organisation, anonymous, confidential = requester(rng, kind, channel)
        subject, text = "", ""
        if kind == "complaint":
            subject = pick(rng, COMPLAINT_SUBJECTS)
            text = description(rng, subject)
        elif kind in ("visit", "consultation"):
            _day, queue_number, ticket, visitor = extra
            _vid, name, phone, organisation = visitor
            email = ""
            purpose = std.name if std is not None else pick(rng, PURPOSES)
            subject, text = purpose[:200], purpose
        elif kind == "audience":
            subject = sim.detail["topic"]
            text = description(rng, subject)
            organisation = sim.detail["organisation"]
        else:
            subject = sim.detail["purpose"]
            text = description(rng, subject)
            organisation = sim.detail["organisation"]
        dur = sim.dur
        fixed = dur is not None and dur.value is not None and dur.unit
        created_by = sim.events[0][2]
        updated = sim.last
        c = sim.case
        cases.append((
            case_id, received, updated, kind, number, code, bureau.id,
            std.id if std else None, std.version_id if std else None, channel, sim.status,
            subject, text, name, email, phone, organisation, anonymous, confidential,
            received, sim.due, sim.first_response, sim.answered, sim.closed, sim.paused,
            dur.value if fixed else None, dur.unit if fixed else "",
            (dur.text if dur is not None else "")[:300], sim.state, sim.due_soon_at,
            sim.overdue_at, c.get("assigned_unit_id"), c.get("assignee_id"), created_by, 0,
        ))  # fmt: skip
        events.extend(sim.events)
        for start, end in sim.pauses:
            pauses.append((case_id, start, end))
        d = sim.detail
        if kind == "complaint":
            details["complaints_complaintdetail"].append((
                case_id, d["class_code"], d["class_name"], d["classified_at"], d["location"],
                d["lapor_number"], d["answer"], d["answered_by_id"],
                *(BLANK_DETAIL_VALUES[c] for c in COMPLAINT_COLUMNS[8:]),
            ))  # fmt: skip
        elif kind in ("visit", "consultation"):
            day, queue_number, ticket, visitor = extra
            details["visits_visitdetail"].append((
                case_id, visitor[0], visitor[3], text, "[]", day, queue_number, ticket, received,
                d["called_at"], d["served_at"], d["finished_at"], d["desk"], d["routed_to_id"],
                d["outcome"], std.id if std else None,
            ))  # fmt: skip
        elif kind == "facility":
            details["bookings_bookingdetail"].append(
                tuple(
                    [case_id] + [d.get(c, BLANK_DETAIL_VALUES.get(c)) for c in BOOKING_COLUMNS[1:]]
                )
            )
        else:
            details["bookings_audiencedetail"].append(
                tuple(
                    [case_id] + [d.get(c, BLANK_DETAIL_VALUES.get(c)) for c in AUDIENCE_COLUMNS[1:]]
                )
            )
    return cases, events, pauses, details


def work(index: int):
    """Worker: build and write one chunk in one transaction; returns row counts and seconds."""
    from django.db import connection, transaction

    started = time.perf_counter()
    cases, events, pauses, details = build_chunk(index)
    built = time.perf_counter()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")
        write_rows(connection, "cases_case", CASE_COLUMNS, cases)
        write_rows(connection, "cases_caseevent", EVENT_COLUMNS, events)
        write_rows(connection, "cases_casepause", PAUSE_COLUMNS, pauses)
        columns = {
            "complaints_complaintdetail": COMPLAINT_COLUMNS,
            "visits_visitdetail": VISIT_COLUMNS,
            "bookings_bookingdetail": BOOKING_COLUMNS,
            "bookings_audiencedetail": AUDIENCE_COLUMNS,
        }
        for table, rows in details.items():
            write_rows(connection, table, columns[table], rows)
    done = time.perf_counter()
    counts = Counter(
        {"cases_case": len(cases), "cases_caseevent": len(events), "cases_casepause": len(pauses)}
    )
    for table, rows in details.items():
        counts[table] = len(rows)
    return counts, built - started, done - built


def worker_init(method: str) -> None:
    from django.db import connections

    connections.close_all()  # never share the parent's socket


# =================================================================================================
# Indexes
# =================================================================================================


def secondary_indexes(connection) -> list[tuple[str, str, str]]:
    """(table, index name, definition) of the big tables' indexes that back no constraint.

    Partial indexes stay: PostgreSQL prints their predicate in a normalised form that differs
    from what the migration wrote, and they are small during the load anyway."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT t.relname, i.relname, pg_get_indexdef(i.oid)
            FROM pg_index x
            JOIN pg_class i ON i.oid = x.indexrelid
            JOIN pg_class t ON t.oid = x.indrelid
            JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = current_schema()
            WHERE t.relname = ANY(%s)
              AND x.indpred IS NULL
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
            ORDER BY t.relname, i.relname
            """,
            [list(BIG_TABLES)],
        )
        return cursor.fetchall()


def all_indexes(connection) -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
            "AND tablename = ANY(%s) ORDER BY 1, 2",
            [list(BIG_TABLES)],
        )
        return cursor.fetchall()


def build_index(definition: str) -> float:
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '512MB'")
        cursor.execute(definition)
    return time.perf_counter() - started


# =================================================================================================
# Survey responses
# =================================================================================================


def make_responses(ctx: Context, total: int, rng: random.Random) -> Counter:
    """``total`` responses; 40 % answer a closed case's invitation (with the invitation row)."""
    from django.db import connection, transaction

    from layanan.surveys.questionnaire import ELEMENTS

    started = time.perf_counter()
    today = ctx.now.astimezone(WIB).date()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, unit_id, standard_id, closed_at FROM cases_case "
            "WHERE status = 'closed' AND kind <> 'visit' ORDER BY id"
        )
        closed = cursor.fetchall()
    linked = rng.sample(closed, min(len(closed), int(total * 0.4)))
    quality = {b.id: rng.uniform(2.85, 3.55) for b in ctx.bureaus}
    offsets = [rng.uniform(-0.35, 0.3) for _ in ELEMENTS]
    tables = {}
    for unit_id, q in quality.items():
        per_element = []
        for off in offsets:
            mean = q + off
            weights = [max(0.02, 1.2 - abs(v - mean)) ** 2 for v in (1, 2, 3, 4)]
            per_element.append(cumulative(weights))
        tables[unit_id] = per_element
    services = {b.id: [s.id for s in b.standards] for b in ctx.bureaus}
    bureau_cum = cumulative(b.weight for b in ctx.bureaus)
    first = ctx.start.astimezone(WIB).date()
    days = [first + dt.timedelta(days=i) for i in range((today - first).days + 1)]
    day_cum = cumulative(
        (0.75 + 0.5 * i / len(days)) * (1 if ctx.calendar.is_working_day(d) else 0.1)
        for i, d in enumerate(days)
    )
    educations = ["sd", "smp", "sma", "sma", "sma", "diploma", "s1", "s1", "s1", "s2", "s3"]
    occupations = ["pns", "tni", "polri", "swasta", "swasta", "wirausaha", "wirausaha", "lainnya"]
    responses, invitations = [], []

    def answers(unit_id):
        return [
            1 + bisect.bisect_right(cum, rng.random() * cum[-1]) for cum in tables[unit_id]
        ]  # fmt: skip

    for case_id, unit_id, standard_id, closed_at in linked:
        day = min(
            (closed_at + dt.timedelta(hours=rng.expovariate(1 / 30))).astimezone(WIB).date(), today
        )
        at = dt.datetime.combine(day, dt.time(12), tzinfo=WIB)
        responses.append((
            at, at, unit_id, standard_id, case_id, "invitation", day, *answers(unit_id),
            *profile(rng, educations, occupations), pick(rng, COMMENTS), "",
        ))  # fmt: skip
        token = "".join(rng.choices(TOKEN_ALPHABET, k=32))
        invitations.append((closed_at, at, case_id, token, closed_at + dt.timedelta(days=30), at))
    for _ in range(total - len(linked)):
        bureau = ctx.bureaus[bisect.bisect_right(bureau_cum, rng.random() * bureau_cum[-1])]
        day = days[min(bisect.bisect_right(day_cum, rng.random() * day_cum[-1]), len(days) - 1)]
        channel = rng.choices(["kiosk", "paper", "import"], [55, 25, 20])[0]
        service = pick(rng, services[bureau.id]) if rng.random() < 0.8 else None
        at = dt.datetime.combine(day, dt.time(10), tzinfo=WIB)
        source = f"skm-{bureau.slug}-{day.year}.xlsx" if channel == "import" else ""
        responses.append((
            at, at, bureau.id, service, None, channel, day, *answers(bureau.id),
            *profile(rng, educations, occupations), pick(rng, COMMENTS), source,
        ))  # fmt: skip
    with transaction.atomic():
        write_rows(connection, "surveys_surveyresponse", RESPONSE_COLUMNS, responses)
        write_rows(connection, "surveys_surveyinvitation", INVITATION_COLUMNS, invitations)
    log(f"survey responses: {len(responses)} ({len(invitations)} through an invitation)", started)
    return Counter(
        {"surveys_surveyresponse": len(responses), "surveys_surveyinvitation": len(invitations)}
    )


def profile(rng, educations, occupations):
    gender = rng.choice("LP") if rng.random() < 0.95 else ""
    age = rng.randint(17, 70) if rng.random() < 0.95 else None
    return gender, age, pick(rng, educations), pick(rng, occupations)


# =================================================================================================
# Counters and reply letter numbers
# =================================================================================================


def write_counters(case_counters: Counter, queue_counters: Counter) -> None:
    from django.db import connection

    from layanan.cases.models import CaseCounter

    CaseCounter.objects.bulk_create(
        [CaseCounter(unit_id=u, kind_code=k, year=y, last=n) for (u, k, y), n in
         case_counters.items()],
        batch_size=5000,
    )  # fmt: skip
    rows = [(u, s, d, n) for (u, s, d), n in queue_counters.items()]
    write_rows_plain(connection, "visits_queuecounter", ("unit_id", "service_key", "day", "last"),
                     rows)  # fmt: skip


def write_rows_plain(connection, table, columns, rows):
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    sql = f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN"
    with connection.cursor() as cursor, cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


def number_replies() -> int:
    """Reply letter numbers in order of issue per unit and year (the app's ``format_number``
    with each unit's template), and the ``ReplyLetterCounter`` rows that continue them."""
    from django.db import connection

    from layanan.audiences.models import ReplyLetterCounter, ReplyLetterTemplate

    templates = {t.unit_id: t for t in ReplyLetterTemplate.objects.select_related("unit")}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT a.id, c.unit_id, a.reply_date FROM bookings_audiencedetail a "
            "JOIN cases_case c ON c.id = a.case_id WHERE a.replied_at IS NOT NULL "
            "ORDER BY a.replied_at, a.id"
        )
        rows = cursor.fetchall()
    seq: Counter = Counter()
    numbers = []
    for detail_id, unit_id, day in rows:
        seq[(unit_id, day.year)] += 1
        template = templates[unit_id]
        numbers.append((detail_id, template.format_number(seq=seq[(unit_id, day.year)], on=day)))
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE bench_reply (id bigint, number varchar(100))")
        with cursor.copy("COPY bench_reply (id, number) FROM STDIN") as copy:
            for row in numbers:
                copy.write_row(row)
        cursor.execute(
            "UPDATE bookings_audiencedetail a SET reply_number = r.number "
            "FROM bench_reply r WHERE a.id = r.id"
        )
        cursor.execute("DROP TABLE bench_reply")
    ReplyLetterCounter.objects.bulk_create(
        [ReplyLetterCounter(unit_id=u, year=y, last=n) for (u, y), n in seq.items()]
    )
    return len(numbers)


# =================================================================================================
# main
# =================================================================================================


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--units", type=int, default=22, help="units in the tree (real: 14)")
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL")
                        or DEFAULT_DATABASE_URL)  # fmt: skip
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reset", action="store_true", help="drop and create the database first")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--chunk", type=int, default=10_000, help="cases per worker task")
    parser.add_argument(
        "--method",
        choices=("orm", "copy"),
        default="orm",
        help="orm: QuerySet.bulk_create (default); copy: PostgreSQL COPY, about 3x faster",
    )
    parser.add_argument("--keep-indexes", action="store_true",
                        help="load with every index in place (slower)")  # fmt: skip
    parser.add_argument("--visitors", type=int, default=4000, help="returning visitors per bureau")
    return parser.parse_args(argv)


def texts_for(bureaus) -> dict:
    """Translated strings the app writes on timelines (in the site's language)."""
    from django.conf import settings
    from django.utils import translation
    from django.utils.translation import gettext as _

    from layanan.catalog.models import ComplaintClass
    from layanan.complaints.services import provisional_duration

    with translation.override(settings.LANGUAGE_CODE):
        provisional = {}
        for bureau in bureaus:
            for std in bureau.standards:
                classes = [ComplaintClass(code=c, name=n, value=d.value, unit=d.unit or "",
                                          text=d.text) for c, n, d in std.classes]  # fmt: skip
                provisional[std.id] = provisional_duration(classes)
        return {
            "escalated": _("Escalated to the head of unit."),
            "ticket": _("Ticket %(ticket)s"),
            "served": _("Served at %(desk)s"),
            "no_show": _("Did not come when called"),
            "rejected": "Tidak memenuhi syarat / di luar kewenangan.",
            "refused": "Ruangan dipakai kegiatan pimpinan.",
            "cancelled": "Kegiatan dibatalkan pemohon.",
            "approved": "Permohonan disetujui.",
            "ask": "Mohon melengkapi data pendukung.",
            "provisional": provisional,
            "short": dt.timedelta(minutes=settings.SLA_DUE_SOON_SHORT_MINUTES),
            "long": dt.timedelta(minutes=settings.SLA_DUE_SOON_LONG_MINUTES),
        }


def main(argv=None) -> None:
    from django_scopes import scopes_disabled

    with scopes_disabled():  # the operator's generator writes and reads every unit
        _main(argv)


def _main(argv=None) -> None:
    global CTX
    args = parse_args(argv)
    if args.reset:
        reset_database(args.database_url)
    setup_django(args.database_url)
    from django.db import connection, connections
    from django.utils import timezone

    from layanan.cases.models import Case
    from layanan.workdays.deadlines import Calendar

    check_columns()
    total_started = time.perf_counter()
    now = timezone.now().replace(microsecond=0)
    bureaus = setup_reference(args, now)
    if Case.objects.exists():
        raise SystemExit("The database already has cases: run with --reset to start again.")
    start = now - dt.timedelta(days=round(365.25 * args.years))
    calendar = Calendar.for_unit(None)
    for year in range(start.year, now.year + 2):
        calendar.is_working_day(dt.date(year, 1, 1))  # load the year before forking
    CTX = Context(now=now, start=start, seed=args.seed, bureaus=bureaus, calendar=calendar,
                  texts=texts_for(bureaus), method=args.method, chunk=args.chunk)  # fmt: skip
    log(f"reference data: {len(bureaus)} bureaus, now = {now.isoformat()}", total_started)

    if args.method == "orm":
        keep_timestamps(False)  # from here on every row carries its simulated times
    rng = random.Random(args.seed)
    make_visitors(bureaus, rng, args.visitors)
    started = time.perf_counter()
    CTX.plan, case_counters, queue_counters = plan_cases(CTX, args.cases, rng)
    log(f"planned {len(CTX.plan)} cases", started)

    dropped = []
    before = all_indexes(connection)
    if not args.keep_indexes:
        dropped = secondary_indexes(connection)
        with connection.cursor() as cursor:
            for _table, name, _definition in dropped:
                cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
        log(f"dropped {len(dropped)} secondary indexes for the load")

    started = time.perf_counter()
    chunks = (len(CTX.plan) + args.chunk - 1) // args.chunk
    totals: Counter = Counter()
    build_s = write_s = 0.0
    connections.close_all()
    if args.workers > 1:
        context = mp.get_context("fork")
        with context.Pool(args.workers, initializer=worker_init, initargs=(args.method,)) as pool:
            for done, (counts, b, w) in enumerate(pool.imap_unordered(work, range(chunks)), 1):
                totals.update(counts)
                build_s, write_s = build_s + b, write_s + w
                if done % max(1, chunks // 20) == 0 or done == chunks:
                    rate = totals["cases_case"] / (time.perf_counter() - started)
                    log(f"  {totals['cases_case']:>9} cases, {totals['cases_caseevent']:>9} "
                        f"events ({rate:,.0f} cases/s)")  # fmt: skip
    else:
        worker_init(args.method)
        for index in range(chunks):
            counts, b, w = work(index)
            totals.update(counts)
            build_s, write_s = build_s + b, write_s + w
            if (index + 1) % max(1, chunks // 20) == 0:
                log(f"  {totals['cases_case']:>9} cases, {totals['cases_caseevent']:>9} events")
    load_s = time.perf_counter() - started
    log(f"cases loaded: build {build_s:.1f}s, write {write_s:.1f}s (summed over workers)", started)

    started = time.perf_counter()
    reset_sequence(connection, "cases_case")
    write_counters(case_counters, queue_counters)
    replies = number_replies()
    log(f"counters written, {replies} reply letters numbered", started)
    totals.update(make_responses(CTX, args.responses, rng))

    index_s = 0.0
    if dropped:
        started = time.perf_counter()
        connections.close_all()
        context = mp.get_context("fork")
        with context.Pool(args.workers, initializer=worker_init, initargs=("copy",)) as pool:
            # the largest first, so the two workers finish together
            order = sorted(dropped, key=lambda d: d[0] not in ("cases_caseevent", "cases_case"))
            list(pool.imap_unordered(build_index, [d[2] for d in order]))
        index_s = time.perf_counter() - started
        log(f"re-created {len(dropped)} indexes", started)
    after = all_indexes(connection)
    if before != after:
        missing = sorted(set(before) - set(after))
        extra = sorted(set(after) - set(before))
        raise SystemExit(f"Index definitions differ after the load: missing {missing}, new {extra}")

    started = time.perf_counter()
    with connection.cursor() as cursor:
        for table in (*BIG_TABLES, "visits_visitor", "visits_queuecounter", "cases_casecounter"):
            cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(table)}")
        cursor.execute("ANALYZE")
    vacuum_s = time.perf_counter() - started
    log("VACUUM (ANALYZE)", started)

    total_s = time.perf_counter() - total_started
    counts = table_counts()
    sizes = table_sizes()
    print()
    print(f"{'table':<30} {'rows':>12} {'size':>10}")
    for table in VOLUME_TABLES:
        print(f"{table:<30} {counts[table]:>12,} {sizes[table]:>10}")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT status, sla_state, count(*) FROM cases_case GROUP BY 1, 2 ORDER BY 1, 2"
        )
        mix = cursor.fetchall()
    print("\nstatus / sla_state mix:")
    for status, state, n in mix:
        print(f"  {status:<22} {state:<10} {n:>10,}")
    print(
        f"\ncases: load {load_s:.1f}s ({args.cases / load_s:,.0f}/s), index build {index_s:.1f}s, "
        f"vacuum+analyze {vacuum_s:.1f}s; total {total_s:.1f}s "
        f"({args.workers} workers, method {args.method})"
    )


if __name__ == "__main__":
    main()
