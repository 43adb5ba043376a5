"""factory_boy factories shared by every test package."""

from __future__ import annotations

import factory
from django.utils.text import slugify

from layanan.accounts.actors import SYSTEM
from layanan.accounts.models import Membership, Role, User
from layanan.catalog.models import (
    ComplaintChannel,
    ComplaintClass,
    CompletionTime,
    Fee,
    ServiceKind,
    ServiceStandard,
    StandardVersion,
)
from layanan.core.models import Unit, UnitKind

DEFAULT_PASSWORD = "correct-horse-battery-9"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Biro Uji {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    code = factory.Sequence(lambda n: f"U{n}")
    kind = UnitKind.BUREAU


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Faker("name", locale="id_ID")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.go.id")
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    unit = factory.SubFactory(UnitFactory)
    role = Role.HANDLER


class ServiceStandardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceStandard

    unit = factory.SubFactory(UnitFactory)
    name = factory.Sequence(lambda n: f"Pelayanan Uji {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    service_kind = ServiceKind.CONSULTATION


class StandardVersionFactory(factory.django.DjangoModelFactory):
    """A complete version: every one of the 14 components filled in."""

    class Meta:
        model = StandardVersion
        skip_postgeneration_save = True

    standard = factory.SubFactory(ServiceStandardFactory)
    number = factory.Sequence(lambda n: n + 1)
    name = factory.LazyAttribute(lambda o: o.standard.name)
    decree_number = "285/OR/2022"
    requirements = ["Surat Tugas", "Tanda pengenal/identitas"]
    procedure = ["Tamu menuju Petugas Informasi", "Mengisi buku tamu", "Menerima layanan"]
    products = ["Layanan Konsultasi"]
    complaint_flow = ["Pengguna menyampaikan aduan", "Pejabat Pengelola Pengaduan menerima"]
    legal_basis = ["Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik"]
    facilities = ["Ruang pelayanan", "Ruang tunggu"]
    competence = ["Memahami tugas dan fungsi jabatan"]
    supervision = ["Pengawasan melekat dari atasan langsung"]
    staff_count = 5
    staff_text = "5 (lima) orang"
    service_guarantee = ["Pelayanan cepat, tepat, lengkap"]
    safety_guarantee = ["Informasi dijamin keabsahannya"]
    evaluation = ["Rapat evaluasi minimal 1 kali dalam 1 bulan"]
    meetings_per_month = 1
    surveys_per_year = 2

    @factory.post_generation
    def components(obj, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        CompletionTime.objects.create(
            version=obj,
            position=0,
            label="Administrasi",
            value=15,
            unit="minutes",
            text="Administrasi : 15 Menit",
        )
        Fee.objects.create(version=obj, position=0, free=True, text="Tidak dipungut biaya")
        ComplaintChannel.objects.create(
            version=obj, position=0, kind="whatsapp", label="WA", value="085828735503"
        )
        ComplaintChannel.objects.create(
            version=obj, position=1, kind="email", label="Email", value="kesra@kalbarprov.go.id"
        )
        for i, (code, name, value, unit) in enumerate(
            [
                ("ringan", "Pengaduan ringan", 3, "hours"),
                ("normatif", "Pengaduan bersifat normatif", 5, "working_days"),
                (
                    "tidak_berkadar_pengawasan",
                    "Pengaduan tidak berkadar pengawasan",
                    14,
                    "working_days",
                ),
                ("berkadar_pengawasan", "Pengaduan berkadar pengawasan", 60, "working_days"),
            ]
        ):
            ComplaintClass.objects.create(
                version=obj,
                position=i,
                code=code,
                name=name,
                value=value,
                unit=unit,
                text=f"{value} {unit}",
            )


def published_standard(**kwargs) -> ServiceStandard:
    """A standard with one complete, published version."""
    from layanan.catalog.services import version_publish

    version = StandardVersionFactory(**kwargs)
    version_publish(actor=SYSTEM, version=version)
    version.standard.refresh_from_db()
    return version.standard
