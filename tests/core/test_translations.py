"""The translation catalogues: Indonesian (the default language) is complete and consistent.

The code's msgids are English; ``locale/id/LC_MESSAGES/django.po`` carries the Indonesian text
and ``locale/en`` exists so English is a first-class language. The completeness check runs
``makemessages`` on a scratch copy of the code, so a string added to the code without a
translation (or changed, which makes its old translation fuzzy) fails here even when nobody has
run ``makemessages`` in the working tree.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "locale"
ID_PO = LOCALE / "id" / "LC_MESSAGES" / "django.po"
EN_PO = LOCALE / "en" / "LC_MESSAGES" / "django.po"

# The same options as the documented `makemessages` command (docs: translations).
MAKEMESSAGES_IGNORES = [".venv", ".tools", "staticfiles", "tests", "var", "bench"]


# --- a tiny .po reader ---------------------------------------------------------------------------


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    references: list[str] = field(default_factory=list)

    @property
    def where(self) -> str:
        return " ".join(self.references) or "?"


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def _unquote(text: str) -> str:
    text = text.strip()
    assert text.startswith('"') and text.endswith('"'), text
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), text[1:-1])


def read_po(path: Path) -> list[Entry]:
    """The live entries of a .po file (obsolete ``#~`` entries are skipped); entry 0 is the
    header (empty msgid)."""
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int | None] | None = None

    def start() -> Entry:
        nonlocal current
        if current is None:
            current = Entry()
        return current

    for raw in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        if not line:
            if current is not None:
                entries.append(current)
            current, target = None, None
            continue
        if line.startswith("#~"):
            continue
        if line.startswith("#,"):
            start().flags.update(f.strip() for f in line[2:].split(","))
            continue
        if line.startswith("#:"):
            start().references.extend(line[2:].split())
            continue
        if line.startswith("#"):
            start()
            continue
        if line.startswith('"'):
            assert current is not None and target is not None, f"{path}: stray line {raw!r}"
            name, index = target
            if name == "msgstr":
                current.msgstr[index] += _unquote(line)
            else:
                setattr(current, name, getattr(current, name) + _unquote(line))
            continue
        keyword, _, rest = line.partition(" ")
        entry = start()
        match = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
        if match or keyword == "msgstr":
            index = int(match.group(1)) if match else 0
            entry.msgstr[index] = _unquote(rest)
            target = ("msgstr", index)
        elif keyword in {"msgid", "msgid_plural", "msgctxt"}:
            setattr(entry, keyword, _unquote(rest))
            target = (keyword, None)
        else:
            raise AssertionError(f"{path}: unexpected line {raw!r}")
    return entries


def header(entries: list[Entry]) -> dict[str, str]:
    head = entries[0]
    assert head.msgid == "" and head.msgctxt is None, "the first entry must be the header"
    fields = {}
    for line in head.msgstr[0].splitlines():
        key, _, value = line.partition(":")
        fields[key.strip()] = value.strip()
    return fields


def problems(entries: list[Entry]) -> list[str]:
    """Untranslated and fuzzy entries, as readable lines."""
    found = []
    for entry in entries[1:]:
        if "fuzzy" in entry.flags:
            found.append(f"fuzzy: {entry.msgid!r} ({entry.where})")
        elif not entry.msgstr or any(not text for text in entry.msgstr.values()):
            found.append(f"untranslated: {entry.msgid!r} ({entry.where})")
    return found


# --- placeholders ------------------------------------------------------------------------------

_PERCENT = re.compile(r"%(?:\([^)]+\))?[-#0 +]*(?:\d+|\*)?(?:\.\d+)?[diouxXeEfFgGcrsa%]")
_NAMED = re.compile(r"%\([^)]+\)[-#0 +]*(?:\d+)?(?:\.\d+)?[diouxXeEfFgGcrsa]")
_BRACE = re.compile(r"(?<!\{)\{[A-Za-z_0-9.\[\]!:]*\}(?!\})")


def placeholders(text: str, flags: set[str]) -> Counter:
    """The format placeholders of a string: every %-directive when the entry is python-format
    (else only the unambiguous %(name)s ones), and every {name} field."""
    percent = _PERCENT if "python-format" in flags else _NAMED
    return Counter(percent.findall(text)) + Counter(_BRACE.findall(text))


def placeholder_mismatches(entries: list[Entry], nplurals: int) -> list[str]:
    found = []
    for entry in entries[1:]:
        for index, text in entry.msgstr.items():
            if not text:
                continue
            expected = [placeholders(entry.msgid_plural or entry.msgid, entry.flags)]
            if entry.msgid_plural is not None and index == 0 and nplurals > 1:
                # the singular form of a language with several forms may follow the msgid
                expected.append(placeholders(entry.msgid, entry.flags))
            got = placeholders(text, entry.flags)
            if got not in expected:
                found.append(
                    f"{entry.msgid!r} → msgstr[{index}] {text!r}: placeholders "
                    f"{sorted(got.elements())} instead of {sorted(expected[0].elements())} "
                    f"({entry.where})"
                )
    return found


def nplurals_of(entries: list[Entry]) -> int:
    match = re.search(r"nplurals\s*=\s*(\d+)", header(entries).get("Plural-Forms", ""))
    assert match, "the header has no Plural-Forms"
    return int(match.group(1))


# --- (a) completeness against the current source --------------------------------------------


@pytest.fixture(scope="module")
def regenerated_id_catalogue(tmp_path_factory) -> list[Entry]:
    """The Indonesian catalogue as ``makemessages`` makes it from the code as it is now, merged
    with the committed translations, on a scratch copy (the working tree is left alone)."""
    if shutil.which("xgettext") is None or shutil.which("msgmerge") is None:
        pytest.fail("GNU gettext (xgettext, msgmerge) is missing: apt-get install gettext")
    work = tmp_path_factory.mktemp("makemessages")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo")
    shutil.copytree(ROOT / "layanan", work / "layanan", ignore=ignore)
    shutil.copytree(LOCALE, work / "locale", ignore=ignore)
    shutil.copy2(ROOT / "manage.py", work / "manage.py")
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "layanan.settings",
        "DATABASE_URL": f"sqlite:///{work / 'unused.sqlite3'}",
    }
    command = [sys.executable, "manage.py", "makemessages", "-l", "id", "--no-obsolete"]
    command += [f"--ignore={pattern}" for pattern in MAKEMESSAGES_IGNORES]
    result = subprocess.run(
        command, cwd=work, env=env, capture_output=True, text=True, check=False, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return read_po(work / "locale" / "id" / "LC_MESSAGES" / "django.po")


def test_every_current_string_has_an_indonesian_translation(regenerated_id_catalogue):
    """Every msgid in the code today has a non-fuzzy Indonesian translation. A failure lists
    the strings: run `manage.py makemessages -l id -l en --ignore=.venv --ignore=.tools
    --ignore=staticfiles --ignore=tests --ignore=var --ignore=bench --no-obsolete`, translate
    locale/id, commit the .po (or use scripts/po-fill.py)."""
    assert len(regenerated_id_catalogue) > 100, "makemessages found almost no strings"
    missing = problems(regenerated_id_catalogue)
    assert not missing, "\n".join(missing)


def test_committed_indonesian_catalogue_has_no_untranslated_or_fuzzy_entries():
    """The committed locale/id catalogue itself is fully translated and has no fuzzy entries
    (a fuzzy entry is ignored at run time, so the page would fall back to English)."""
    entries = read_po(ID_PO)
    missing = problems(entries)
    assert not missing, "\n".join(missing)
    assert "fuzzy" not in entries[0].flags, "the header is marked fuzzy: msgfmt would drop it"


def test_catalogue_headers_name_their_language_and_plural_rule():
    """The id catalogue says Language: id, UTF-8 and Indonesian's single plural form; the en
    catalogue exists (its msgstr may stay empty, since the msgids are English)."""
    fields = header(read_po(ID_PO))
    assert fields["Language"] == "id"
    assert "charset=UTF-8" in fields["Content-Type"]
    assert fields["Plural-Forms"].replace(" ", "") == "nplurals=1;plural=0;"
    assert EN_PO.exists(), "locale/en/LC_MESSAGES/django.po is missing: run makemessages -l en"
    assert header(read_po(EN_PO))["Language"] == "en"


# --- (b) placeholders ----------------------------------------------------------------------------


@pytest.mark.parametrize("path", [ID_PO, EN_PO], ids=["id", "en"])
def test_translations_keep_the_placeholders_of_their_msgid(path):
    """Each translation has exactly the placeholders of its msgid (%(name)s, %s, %d, {name}):
    a dropped or misspelt one raises KeyError or shows raw text at run time."""
    entries = read_po(path)
    mismatches = placeholder_mismatches(entries, nplurals_of(entries))
    assert not mismatches, "\n".join(mismatches)


def test_placeholder_check_catches_a_broken_translation():
    """The placeholder comparison itself notices a misspelt, a dropped and an extra
    placeholder, and accepts reordered named ones."""
    flags = {"python-format"}

    def entry(msgid, msgstr):
        return [
            Entry(msgstr={0: "Plural-Forms: nplurals=1; plural=0;\n"}),
            Entry(msgid=msgid, msgstr={0: msgstr}, flags=flags),
        ]

    assert not placeholder_mismatches(entry("%(a)s and %(b)s", "%(b)s dan %(a)s"), 1)
    assert placeholder_mismatches(entry("%(count)s days", "%(cuont)s hari"), 1)
    assert placeholder_mismatches(entry("Version %(number)s", "Versi"), 1)
    assert placeholder_mismatches(entry("Total", "Total %s"), 1)
    assert placeholder_mismatches(entry("Hi {name}", "Halo {nama}"), 1)


# --- (c) the pages speak Indonesian by default ---------------------------------------------------


@pytest.fixture
def compiled_catalogue():
    """The compiled catalogue is in place (``make test`` compiles it first)."""
    with translation.override("id"):
        if translation.gettext("Staff login") == "Staff login":
            pytest.fail("locale/id is not compiled: run `make messages` (compilemessages)")


@pytest.mark.django_db
def test_login_page_is_in_indonesian_by_default(client, compiled_catalogue, org):
    """Without a language preference the staff login page is Indonesian: the heading, the
    button, the password link, the site name and the footer (the organisation's name, from
    its data)."""
    response = client.get("/akun/masuk/")
    assert response.status_code == 200
    assert response["Content-Language"] == "id"
    body = response.content.decode()
    assert '<html lang="id">' in body
    for text in [
        "Masuk petugas",
        "Lupa kata sandi?",
        ">Masuk</button>",
        "Layanan publik",
        "Pemerintah Provinsi Kalimantan Barat",
        "Langsung ke isi halaman",
    ]:
        assert text in body, text
    assert "Staff login" not in body
    assert "Forgot your password?" not in body


@pytest.mark.django_db
def test_login_page_follows_a_request_for_english(client, compiled_catalogue):
    """A browser that asks for English gets the English msgids."""
    response = client.get("/akun/masuk/", HTTP_ACCEPT_LANGUAGE="en")
    body = response.content.decode()
    assert response["Content-Language"] == "en"
    assert "Staff login" in body
    assert "Masuk petugas" not in body


@pytest.mark.django_db
def test_service_standard_page_uses_the_standar_pelayanan_vocabulary(
    client, org, compiled_catalogue
):
    """A published standard in Indonesian names its groups and components as PermenPANRB
    15/2014 does, and writes durations and the free fee in Indonesian."""
    from tests.factories import published_standard

    standard = published_standard(
        standard__unit=org["biro-kesra"],
        standard__name="Pelayanan Konsultasi",
        standard__slug="pelayanan-konsultasi",
    )
    response = client.get(standard.get_absolute_url())
    assert response.status_code == 200
    body = response.content.decode()
    for text in [
        "Penyampaian layanan",
        "Pengelolaan layanan",
        "Persyaratan",
        "Sistem, Mekanisme dan Prosedur",
        "Jangka Waktu Penyelesaian",
        "Biaya/Tarif",
        "Penanganan Pengaduan, Saran dan Masukan",
        "Evaluasi Kinerja Pelaksana",
        "Gratis / tidak dipungut biaya",
        "15 menit",
        "paling lama 3 jam",
        "5 hari kerja",
        "Nomor Surat Keputusan (No. SK):",
    ]:
        assert text in body, text
    assert "Service delivery" not in body
    assert "Not available yet" not in body
