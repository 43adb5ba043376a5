#!/usr/bin/env python3
"""Regenerate the catalogues and fill Indonesian translations from JSON files.

    .venv/bin/python scripts/po-fill.py [--no-makemessages] [FILE.json | DIR ...]

Each JSON file maps an English msgid to its Indonesian text. A plural entry is keyed by its
singular msgid (Indonesian has one form: a string fills every msgstr[n]). An entry with a
context is looked up as ``"context\u0004msgid"`` first, then as the bare msgid. A directory
means every ``*.json`` in it. The script:

1. runs ``makemessages -l id -l en`` with the project's ignores (unless --no-makemessages),
   under a lock so two people in one tree do not overwrite each other;
2. fills every untranslated or fuzzy entry of ``locale/id`` whose msgid is in the JSON, and
   drops the fuzzy flag and the ``#|`` previous-msgid lines of the entries it fills;
3. compiles the catalogues and prints what is still untranslated or fuzzy.

It exists so that work can carry its translations beside the code (one JSON file per piece of
work) and the shared ``django.po`` is only ever written by this one tool.
"""

from __future__ import annotations

import fcntl
import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "id" / "LC_MESSAGES" / "django.po"
IGNORES = [
    "--ignore=.venv",
    "--ignore=.tools",
    "--ignore=staticfiles",
    "--ignore=tests",
    "--ignore=var",  # the peer benchmark's virtualenv (bench/peer) lives there
    "--ignore=bench",
]


def quote(text: str) -> str:
    text = text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t")
    if "\n" not in text.rstrip("\n") and len(text) < 70:
        return '"' + text.replace("\n", "\\n") + '"'
    parts = re.split(r"(?<=\n)", text)
    lines = ['""'] + ['"' + part.replace("\n", "\\n") + '"' for part in parts if part]
    return "\n".join(lines)


def unquote(line: str) -> str:
    line = line.strip()
    body = line[1:-1]
    return re.sub(
        r"\\(.)", lambda m: {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}[m.group(1)], body
    )


def load(paths: list[str]) -> dict[str, str | list[str]]:
    table: dict[str, str | list[str]] = {}
    for name in paths:
        path = Path(name)
        files = sorted(path.glob("*.json")) if path.is_dir() else [path]
        for file in files:
            table.update(json.loads(file.read_text(encoding="utf-8")))
    return table


def fill(text: str, table: dict) -> tuple[str, list[str]]:
    blocks = text.split("\n\n")
    out, missing = [], []
    for block in blocks:
        lines = block.split("\n")
        if not any(line.startswith("msgid ") for line in lines) or block.startswith("#~"):
            out.append(block)
            continue
        fields: dict[str, str] = {}
        key = None
        comments, order = [], []
        for line in lines:
            if line.startswith("#"):
                comments.append(line)
            elif line.startswith('"'):
                fields[key] += unquote(line)
            else:
                key, _, rest = line.partition(" ")
                fields[key] = unquote(rest)
                order.append(key)
        msgid = fields.get("msgid", "")
        if msgid == "":
            out.append(block)
            continue
        fuzzy = any(c.startswith("#,") and "fuzzy" in c for c in comments)
        strs = [k for k in order if k.startswith("msgstr")]
        empty = any(fields[k] == "" for k in strs)
        if not (fuzzy or empty):
            out.append(block)
            continue
        key = fields["msgctxt"] + "\x04" + msgid if "msgctxt" in fields else msgid
        if key not in table:
            key = msgid
        if key not in table:
            missing.append(("fuzzy: " if fuzzy else "untranslated: ") + repr(msgid))
            out.append(block)
            continue
        value = table[key]
        values = value if isinstance(value, list) else [value]
        new_comments = []
        for c in comments:
            if c.startswith("#|"):
                continue
            if c.startswith("#,"):
                flags = [f.strip() for f in c[2:].split(",") if f.strip() != "fuzzy"]
                if not flags:
                    continue
                c = "#, " + ", ".join(flags)
            new_comments.append(c)
        body = []
        for k in order:
            if k.startswith("msgstr"):
                m = re.fullmatch(r"msgstr\[(\d+)\]", k)
                index = int(m.group(1)) if m else 0
                body.append(f"{k} {quote(values[min(index, len(values) - 1)])}")
            else:
                body.append(f"{k} {quote(fields[k])}")
        out.append("\n".join(new_comments + body))
    return "\n\n".join(out), missing


def main(argv: list[str]) -> int:
    run_make = "--no-makemessages" not in argv
    sources = [a for a in argv if not a.startswith("--")]
    table = load(sources)
    py = sys.executable
    with open(ROOT / "locale" / ".po-fill.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if run_make:
            make = ["makemessages", "-l", "id", "-l", "en", "--no-obsolete", "-v", "0"]
            subprocess.run(  # noqa: S603 (our own interpreter and fixed arguments)
                [py, "manage.py", *make, *IGNORES],
                cwd=ROOT,
                check=True,
            )
        text, missing = fill(PO.read_text(encoding="utf-8"), table)
        PO.write_text(text, encoding="utf-8")
        subprocess.run(  # noqa: S603 (our own interpreter and fixed arguments)
            [py, "manage.py", "compilemessages", "--ignore=.venv", "--ignore=.tools", "-v", "0"],
            cwd=ROOT,
            check=True,
        )
    for line in missing:
        print(line)
    print(f"po-fill: {len(table)} translations offered, {len(missing)} entries still open")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
