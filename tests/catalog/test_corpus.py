"""The importer measured on a corpus of real published standards (tests/catalog/corpus/).

Each document's expected services, completion times and fees were typed by hand from the
document (corpus.toml). The measure is "services exact": a service is exact when its name, every
completion time and every fee are right. The score is printed (run with ``-s``) and written to
``corpus-score.txt`` in pytest's temporary folder; docs/importer.md records it and what still
fails and why. Every document must import without an exception.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from layanan.accounts.actors import SYSTEM
from layanan.catalog.importer import parse_standards, read_document
from layanan.catalog.importer.text import norm

CORPUS = Path(__file__).parent / "corpus"
MANIFEST = tomllib.loads((CORPUS / "corpus.toml").read_text(encoding="utf-8"))
DOCUMENTS = MANIFEST["document"]
#: Services the importer is known to get wrong, with the reason (see docs/importer.md).
KNOWN_FAILURES: dict[tuple[str, str], str] = {
    ("17-perpustakaan-malang-kolom.txt", "Layanan Kartu Tanda Anggota (KTA)"): (
        "a table with one row per service and one column per component is not read: the row's "
        "service name is taken for content and the document gets no title"
    ),
    ("18-atr-bpn-kolom-pdf.txt", DOCUMENTS[17]["service"][0]["name"]): (
        "PDF text extracted column by column separates every label from its value; the title "
        "runs on from the decree line and is not found"
    ),
}


def _time(duration) -> str:
    if duration.value is None:
        return "descriptive"
    return f"{duration.value} {duration.unit}"


def _fees(parsed) -> list[str]:
    result = []
    for fee in parsed.fees:
        result.append("free" if fee.free else str(fee.amount_idr))
    result.extend("descriptive" for line in parsed.fee_note.splitlines() if line.strip())
    return result


def _actual(parsed) -> dict:
    return {
        "name": norm(parsed.service_name),
        "times": [_time(d) for d in parsed.completion_times],
        "fees": _fees(parsed),
    }


def _expected(service: dict) -> dict:
    return {"name": norm(service["name"]), "times": service["times"], "fees": service["fees"]}


def _import(document: dict) -> list:
    path = CORPUS / document["file"]
    return parse_standards(read_document(path), source_name=path.name)


def test_corpus_manifest_lists_every_file_once():
    """Every corpus file has a manifest entry with a source, and every entry has a file."""
    files = {p.name for p in CORPUS.iterdir() if p.suffix in {".txt", ".md", ".docx", ".pdf"}}
    listed = [d["file"] for d in DOCUMENTS]
    assert sorted(listed) == sorted(files)
    assert all(d["source"].startswith("http") and d["service"] for d in DOCUMENTS)
    assert len(DOCUMENTS) >= 15
    for file, name in KNOWN_FAILURES:
        assert any(d["file"] == file and s["name"] == name for d in DOCUMENTS for s in d["service"])


@pytest.mark.parametrize("document", DOCUMENTS, ids=[d["file"] for d in DOCUMENTS])
def test_corpus_document(document):
    """One real document: the importer finds its services with their times and fees."""
    parsed = _import(document)  # must not raise, whatever the layout
    actual = [_actual(p) for p in parsed]
    expected = [_expected(s) for s in document["service"]]
    known = [KNOWN_FAILURES.get((document["file"], s["name"])) for s in document["service"]]
    if any(known):
        pytest.xfail("; ".join(k for k in known if k))
    assert actual == expected


def test_corpus_score(tmp_path_factory):
    """Counts exact services over the whole corpus and records the number; no regressions
    beyond the known failures."""
    exact = total = 0
    lines = []
    for document in DOCUMENTS:
        actual = [_actual(p) for p in _import(document)]
        for index, service in enumerate(document["service"]):
            total += 1
            ok = index < len(actual) and actual[index] == _expected(service)
            if len(actual) != len(document["service"]):
                ok = False
            exact += ok
            mark = "ok  " if ok else "FAIL"
            lines.append(f"{mark} {document['file']}: {service['name'] or '(no name)'}")
    summary = f"services exact: {exact} / total {total}"
    report = "\n".join([summary, *lines])
    (tmp_path_factory.mktemp("corpus") / "corpus-score.txt").write_text(report + "\n")
    print("\n" + report)
    assert exact >= total - len(KNOWN_FAILURES)


@pytest.mark.django_db
def test_corpus_imports_into_the_database(tmp_path):
    """The whole corpus through ``import_documents`` (the command's pipeline): every named
    service becomes a standard with its times and fees stored; nothing crashes."""
    from layanan.catalog.imports import import_documents
    from layanan.catalog.models import ServiceStandard
    from tests.factories import UnitFactory

    unit = UnitFactory(slug="corpus")
    report = import_documents([CORPUS], unit=unit, actor=SYSTEM)
    assert report.errors == []
    named = {
        norm(s["name"])
        for d in DOCUMENTS
        for s in d["service"]
        if s["name"] and (d["file"], s["name"]) not in KNOWN_FAILURES
    }
    stored = {norm(s.name) for s in ServiceStandard.objects.filter(unit=unit)}
    assert stored == named
    skipped = [o for o in report.outcomes if o.action == "skipped"]
    assert {o.service_name for o in skipped} == {""}
    paspor = ServiceStandard.objects.get(slug="masa-berlaku-dan-biaya").versions.get()
    assert [f.amount_idr for f in paspor.fees.order_by("position")] == [
        350000,
        650000,
        1000000,
        500000,
        None,
    ]


def test_no_prefix_of_a_corpus_document_crashes_the_importer():
    """Documents arrive cut short (a stored excerpt, a failed download): every prefix of every
    corpus document parses without an exception."""
    for document in DOCUMENTS:
        lines = read_document(CORPUS / document["file"]).splitlines()
        for end in range(0, len(lines) + 1, 2):
            for parsed in parse_standards("\n".join(lines[:end])):
                parsed.as_dict()
