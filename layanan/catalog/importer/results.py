"""What the parser produces: plain dataclasses, JSON-serialisable through ``as_dict()``."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field, fields

from layanan.workdays.durations import Duration

__all__ = [
    "COMPONENTS",
    "COMPONENT_KEYS",
    "Channel",
    "ComplaintClass",
    "Fee",
    "ImportIssue",
    "Issues",
    "ParsedStandard",
]

#: The decree number and the 14 components of PermenPANRB 15/2014, in the official order, with
#: the usual Indonesian heading. Keys are those of ``layanan.catalog.components`` (plus
#: ``decree_number``).
COMPONENTS: list[tuple[str, str]] = [
    ("decree_number", "Nomor SK"),
    # Service delivery (penyampaian pelayanan)
    ("requirements", "Persyaratan"),
    ("procedure", "Sistem, Mekanisme dan Prosedur"),
    ("completion_times", "Jangka Waktu Penyelesaian"),
    ("fees", "Biaya/Tarif"),
    ("products", "Produk Pelayanan"),
    ("complaint_handling", "Penanganan Pengaduan, Saran dan Masukan"),
    # Service management (pengelolaan pelayanan)
    ("legal_basis", "Dasar Hukum"),
    ("facilities", "Sarana, Prasarana dan/atau Fasilitas"),
    ("competence", "Kompetensi Pelaksana"),
    ("supervision", "Pengawasan Internal"),
    ("staffing", "Jumlah Pelaksana"),
    ("service_guarantee", "Jaminan Pelayanan"),
    ("safety_guarantee", "Jaminan Keamanan dan Keselamatan Pelayanan"),
    ("evaluation", "Evaluasi Kinerja Pelaksana"),
]
COMPONENT_KEYS = [key for key, _heading in COMPONENTS]


@dataclass
class ImportIssue:
    """Something the importer noticed. ``code`` is stable, ``message`` is English.

    Codes: ``missing`` (empty/absent part), ``ambiguous_duration`` (a guessed unit, e.g. bare
    "Hari"), ``garbled_section`` (a section whose structure is broken; what was clear is kept),
    ``duplicate_list`` (a list given twice, one copy kept), ``typo_fixed`` (a known misspelling
    corrected), ``ignored_text`` (a line that fits nowhere), ``merged_difference`` (documents
    merged into one disagree), ``unlabelled`` (a page without component labels: time and fee
    taken from the lines that state them), ``unit_created`` (the import created the unit from
    the letterhead), ``unknown_division`` (the procedure names a Bagian the unit does not
    have). ``component`` is a key of :data:`COMPONENTS` or a field of
    :class:`ParsedStandard` (``complaint_channels``, ``complaint_flow``, ``complaint_classes``,
    ``service_name``, ``unit``). ``source`` names the document it came from.
    """

    code: str
    component: str
    message: str
    source: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class Issues:
    """The issues of one document as the parser finds them (each reported once; a misspelling
    once per component)."""

    source: str
    items: list[ImportIssue] = field(default_factory=list)
    _typos: set = field(default_factory=set)

    def add(self, code: str, component: str, message: str) -> None:
        issue = ImportIssue(code=code, component=component, message=message, source=self.source)
        if issue not in self.items:
            self.items.append(issue)

    def typo_reporter(self, component: str):
        def report(wrong: str, right: str) -> None:
            key = (component, wrong.casefold())
            if key not in self._typos:
                self._typos.add(key)
                self.add("typo_fixed", component, f"Corrected '{wrong}' to '{right}'.")

        return report


@dataclass
class Fee:
    """One fee line: free of charge, or an amount in rupiah (``amount_idr``)."""

    free: bool
    amount_idr: int | None
    label: str
    text: str

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class Channel:
    """A complaint channel. ``kind`` is one of face_to_face, complaint_box, whatsapp, phone,
    fax, email, lapor, website, other; ``value`` the contact (number, address, site) or ""."""

    kind: str
    label: str
    value: str

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class ComplaintClass:
    """A complaint class and its deadline as the standard sets it. ``code`` is one of ringan,
    normatif, tidak_berkadar_pengawasan, berkadar_pengawasan, else the slugified name."""

    code: str
    name: str
    duration: Duration

    def as_dict(self) -> dict:
        return {"code": self.code, "name": self.name, "duration": self.duration.as_dict()}


@dataclass
class ParsedStandard:
    """One service standard as read from one document (or merged from several).

    ``completion_note``/``fee_note`` keep free text of those sections that is not a duration or
    a fee ("Proses Fasilitasi … dapat terlaksanakan dalam 2 Hari").
    """

    source_name: str = ""
    unit_name: str = ""
    unit_hints: list[str] = field(default_factory=list)
    service_name: str = ""
    decree_number: str = ""
    requirements: list[str] = field(default_factory=list)
    procedure: list[str] = field(default_factory=list)
    completion_times: list[Duration] = field(default_factory=list)
    completion_note: str = ""
    fees: list[Fee] = field(default_factory=list)
    fee_note: str = ""
    products: list[str] = field(default_factory=list)
    complaint_channels: list[Channel] = field(default_factory=list)
    complaint_flow: list[str] = field(default_factory=list)
    complaint_classes: list[ComplaintClass] = field(default_factory=list)
    legal_basis: list[str] = field(default_factory=list)
    facilities: list[str] = field(default_factory=list)
    competence: list[str] = field(default_factory=list)
    supervision: list[str] = field(default_factory=list)
    staff_count: int | None = None
    staff_text: str = ""
    service_guarantee: list[str] = field(default_factory=list)
    safety_guarantee: list[str] = field(default_factory=list)
    evaluation: list[str] = field(default_factory=list)
    meetings_per_month: int | None = None
    surveys_per_year: int | None = None
    issues: list[ImportIssue] = field(default_factory=list)

    # -- components ----------------------------------------------------------------------------
    def component_content(self, key: str):
        """The content of one component key of :data:`COMPONENTS` (a tuple for composite ones)."""
        if key == "completion_times":
            return (self.completion_times, self.completion_note)
        if key == "fees":
            return (self.fees, self.fee_note)
        if key == "complaint_handling":
            return (self.complaint_channels, self.complaint_flow, self.complaint_classes)
        if key == "staffing":
            return (self.staff_count, self.staff_text)
        if key == "evaluation":
            return (self.evaluation, self.meetings_per_month, self.surveys_per_year)
        return getattr(self, key)

    def missing_components(self) -> list[str]:
        """Keys of :data:`COMPONENTS` (decree number included) that are empty, in order."""
        missing = []
        for key in COMPONENT_KEYS:
            content = self.component_content(key)
            parts = content if isinstance(content, tuple) else (content,)
            if not any(part not in (None, "", []) for part in parts):
                missing.append(key)
        return missing

    # -- serialisation -------------------------------------------------------------------------
    def as_dict(self) -> dict:
        data = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, list):
                value = [v.as_dict() if hasattr(v, "as_dict") else v for v in value]
            data[f.name] = value
        return data

    @classmethod
    def from_dict(cls, data: dict) -> ParsedStandard:
        """The inverse of :meth:`as_dict`."""
        data = dict(data)
        data["completion_times"] = [Duration.from_dict(d) for d in data.get("completion_times", [])]
        data["fees"] = [Fee(**d) for d in data.get("fees", [])]
        data["complaint_channels"] = [Channel(**d) for d in data.get("complaint_channels", [])]
        data["complaint_classes"] = [
            ComplaintClass(
                code=d["code"], name=d["name"], duration=Duration.from_dict(d["duration"])
            )
            for d in data.get("complaint_classes", [])
        ]
        data["issues"] = [ImportIssue(**d) for d in data.get("issues", [])]
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})

    def content_hash(self) -> str:
        """SHA-256 of the parsed content in canonical JSON.

        Leaves out what is not the standard itself: ``source_name``, ``issues``, and the unit
        (``unit_name``, ``unit_hints``: the page header, which says who published it). The same
        content read from another file, or with another letterhead, hashes the same.
        """
        data = self.as_dict()
        for key in ("source_name", "issues", "unit_name", "unit_hints"):
            data.pop(key, None)
        canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
