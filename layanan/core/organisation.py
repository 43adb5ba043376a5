"""The organisation Layanan ships with: the West Kalimantan Provincial Secretariat's bureaus.

``ensure_organisation()`` is idempotent (update by slug) so `make setup` can run it every time.
Contacts are those printed in the bureaus' own service standards.
"""

from __future__ import annotations

from django.db import transaction

from .models import Unit, UnitKind

ADDRESS = (
    "Jl. Jenderal Ahmad Yani, Bangka Belitung Laut, Kec. Pontianak Tenggara, "
    "Kota Pontianak, Kalimantan Barat 78124"
)

ORGANISATION = {
    "slug": "pemprov-kalbar",
    "name": "Pemerintah Provinsi Kalimantan Barat",
    "short_name": "Pemprov Kalbar",
    "code": "KALBAR",
    "kind": UnitKind.GOVERNMENT,
    "children": [
        {
            "slug": "setda",
            "name": "Sekretariat Daerah Provinsi Kalimantan Barat",
            "short_name": "Setda",
            "code": "SETDA",
            "kind": UnitKind.SECRETARIAT,
            "children": [
                {
                    "slug": "biro-kesra",
                    "name": "Biro Kesejahteraan Rakyat",
                    "short_name": "Biro Kesra",
                    "code": "KESRA",
                    "kind": UnitKind.BUREAU,
                    "address": ADDRESS,
                    "phone": "(0561) 736541 ext. 126",
                    "whatsapp": "085828735503",
                    "email": "kesra@kalbarprov.go.id",
                    "website": "birokesra.kalbarprov.go.id",
                    "children": [
                        {
                            "slug": "kesra-bina-mental",
                            "name": "Bagian Bina Mental Spiritual",
                            "code": "BINMENTAL",
                        },
                        {
                            "slug": "kesra-pelayanan-dasar",
                            "name": "Bagian Pelayanan Dasar",
                            "code": "YANDAS",
                        },
                        {
                            "slug": "kesra-pelayanan-non-dasar",
                            "name": "Bagian Pelayanan Non Dasar",
                            "code": "YANNONDAS",
                        },
                    ],
                },
                {
                    "slug": "biro-perekonomian",
                    "name": "Biro Perekonomian",
                    "short_name": "Biro Perekonomian",
                    "code": "EKON",
                    "kind": UnitKind.BUREAU,
                    "address": ADDRESS,
                    "phone": "(0561) 736541 ext. 213",
                    "whatsapp": "081649112053",
                    "email": "perekonomian@kalbarprov.go.id",
                    "website": "",
                    "children": [
                        {
                            "slug": "ekon-kebijakan",
                            "name": "Bagian Kebijakan Perekonomian",
                            "code": "KEBIJAKAN",
                        },
                        {
                            "slug": "ekon-sda",
                            "name": "Bagian Perekonomian dan Sumber Daya Alam",
                            "code": "SDA",
                        },
                        {
                            "slug": "ekon-bumd",
                            "name": "Bagian Pembinaan BUMD dan BLUD",
                            "code": "BUMD",
                        },
                    ],
                },
                {
                    "slug": "biro-umum",
                    "name": "Biro Umum",
                    "short_name": "Biro Umum",
                    "code": "UMUM",
                    "kind": UnitKind.BUREAU,
                    "address": ADDRESS,
                    "phone": "(0561) 736541 ext. 308",
                    "whatsapp": "085387687304",
                    "email": "umum@kalbarprov.go.id",
                    "website": "biroumum.provkalbar.go.id",
                    "children": [
                        {
                            "slug": "umum-tata-usaha",
                            "name": "Bagian Tata Usaha Pimpinan",
                            "code": "TU",
                        },
                        {"slug": "umum-rumah-tangga", "name": "Bagian Rumah Tangga", "code": "RT"},
                        {
                            "slug": "umum-perlengkapan",
                            "name": "Bagian Perlengkapan",
                            "code": "PERLENGKAPAN",
                        },
                    ],
                },
            ],
        }
    ],
}


@transaction.atomic
def ensure_organisation(tree: dict | None = None) -> dict[str, Unit]:
    """Create or update the unit tree; returns units by slug."""
    units: dict[str, Unit] = {}

    def walk(node: dict, parent: Unit | None, position: int) -> None:
        data = {k: v for k, v in node.items() if k not in {"children", "slug"}}
        data.setdefault("kind", UnitKind.DIVISION)
        unit, _created = Unit.objects.update_or_create(
            slug=node["slug"], defaults={**data, "parent": parent, "position": position}
        )
        units[unit.slug] = unit
        for i, child in enumerate(node.get("children", [])):
            walk(child, unit, i)

    walk(tree or ORGANISATION, None, 0)
    return units
