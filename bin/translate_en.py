#!/usr/bin/env python
"""Bring the English catalogue up to date with the code and fill it from the translation table.

    .venv/bin/python bin/translate_en.py                 # update, fill, compile, report
    .venv/bin/python bin/translate_en.py --todo todo.json
    .venv/bin/python bin/translate_en.py --wrap-punctuation

Steps: `manage.py makemessages -l en` (same options every time, so the catalogue only changes
where the code did), then every entry of src/keyprojects/locale/en/LC_MESSAGES/django.po gets
its English text from src/keyprojects/locale/en/translations.json, the table people edit.
msgmerge's fuzzy guesses are never kept: an entry the table lacks stays empty and is listed.
With --todo, the untranslated msgids are written to a JSON file shaped like the table
({"中文": ""}, plural ones {"中文": ["", ""]}); fill it in and run with --merge todo.json to
copy those translations into the table (placeholders checked), then run again.

With --wrap-punctuation, full-width punctuation written in templates between tags (a "："
after a {% translate %}) is wrapped in {% translate "：" %}, which is ": " in English; the
Chinese pages stay byte for byte the same.

Exits 1 while any msgid lacks a translation or a translation breaks a placeholder, so the
lead's final pass knows when it is done. Needs polib (requirements-dev.txt).
"""

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

import polib
from django.template.base import DebugLexer, TokenType

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "src" / "keyprojects" / "locale"
CATALOGUE = LOCALE / "en" / "LC_MESSAGES" / "django.po"
TABLE = LOCALE / "en" / "translations.json"
TEMPLATES = ROOT / "src" / "keyprojects" / "templates"

# Directories makemessages must not read: third-party code, tests, benchmarks, build output.
IGNORED = [".venv", "node_modules", "tests", "bench", "test-artifacts", "var", "staticfiles"]
MAKEMESSAGES = [
    "makemessages",
    "--locale=en",
    "--no-obsolete",
    "--add-location=file",
    *(f"--ignore={pattern}" for pattern in IGNORED),
]

# %(name)s, %s, %d, %% and {name} / {} : what Python formatting and Django fill in.
PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[-#0+]*\d*(?:\.\d+)?[sdifr]|%%|\{[A-Za-z_0-9]*\}")
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
FULL_WIDTH_PUNCTUATION = re.compile(r"[：（），。、～；“”！？]")


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def table_key(entry: polib.POEntry) -> str:
    """The table's key: the msgid, prefixed by msgctxt and EOT as gettext does in .mo files."""
    return f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid


def problems_of(msgid: str, translation) -> list[str]:
    """What is wrong with one translation: empty, still Chinese, placeholders changed."""
    texts = translation if isinstance(translation, list) else [translation]
    found = []
    for text in texts:
        if not isinstance(text, str) or not text.strip():
            found.append("empty")
        elif CJK.search(msgid) and text == msgid:
            found.append("same as the Chinese")
        elif placeholders(text) != placeholders(msgid):
            found.append(f"placeholders {placeholders(text)} != {placeholders(msgid)}")
    return found


def load_table() -> dict:
    return json.loads(TABLE.read_text(encoding="utf-8")) if TABLE.exists() else {}


def save_table(table: dict) -> None:
    text = json.dumps(dict(sorted(table.items())), ensure_ascii=False, indent=1)
    TABLE.write_text(text + "\n", encoding="utf-8")


def run_manage(*args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, check=True)


def fill(po: polib.POFile, table: dict) -> tuple[list[polib.POEntry], list[str]]:
    """Set every entry from the table; return the entries left untranslated and the problems."""
    missing, problems = [], []
    for entry in po:
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
        translation = table.get(table_key(entry))
        if entry.msgid_plural and isinstance(translation, str):
            translation = [translation, translation]
        if translation is None or (entry.msgid_plural and len(translation) != 2):
            missing.append(entry)
            translation = ["", ""] if entry.msgid_plural else ""
        elif found := problems_of(entry.msgid, translation):
            problems.append(f"{entry.msgid!r}: {', '.join(found)}")
        if entry.msgid_plural:
            entry.msgstr_plural = {0: translation[0], 1: translation[1]}
        else:
            entry.msgstr = translation
    return missing, problems


def set_header(po: polib.POFile) -> None:
    po.header = "English interface of the Smart Jiangsu Key Projects platform."
    po.metadata.update(
        {
            "Project-Id-Version": "keyprojects",
            "Language": "en",
            "Language-Team": "Key Projects",
            "Last-Translator": "Key Projects",
            "Plural-Forms": "nplurals=2; plural=(n != 1);",
        }
    )
    po.metadata_is_fuzzy = False


def template_text(source: str):
    """(start, end) of the template's own text: outside tags, blocktranslate and comments."""
    depth = 0
    for token in DebugLexer(source).tokenize():
        name = (token.contents.split() or [""])[0]
        if token.token_type == TokenType.BLOCK and name in ("blocktranslate", "comment"):
            depth += 1
        elif token.token_type == TokenType.BLOCK and name in ("endblocktranslate", "endcomment"):
            depth -= 1
        elif token.token_type == TokenType.TEXT and depth == 0:
            yield token.position


def wrap_punctuation() -> int:
    wrapped = 0
    for path in sorted(TEMPLATES.rglob("*.html")) + sorted(TEMPLATES.rglob("*.txt")):
        source = text = path.read_text(encoding="utf-8")
        for start, end in sorted(template_text(source), reverse=True):
            piece, n = FULL_WIDTH_PUNCTUATION.subn(
                lambda m: '{% translate "' + m.group(0) + '" %}', text[start:end]
            )
            text, wrapped = text[:start] + piece + text[end:], wrapped + n
        if text != source:
            path.write_text(text, encoding="utf-8")
            print("wrapped punctuation in", path.relative_to(ROOT))
    return wrapped


def merge_todo(path: Path) -> int:
    """Copy the filled-in entries of a --todo file into the table; refuse broken ones."""
    table = load_table()
    todo = json.loads(path.read_text(encoding="utf-8"))
    refused = 0
    for msgid, translation in todo.items():
        msgid_text = msgid.split("\x04", 1)[-1]
        if found := problems_of(msgid_text, translation):
            print(f"not merged {msgid!r}: {', '.join(found)}")
            refused += 1
        else:
            table[msgid] = translation
    save_table(table)
    print(f"merged {len(todo) - refused} translations into {TABLE.relative_to(ROOT)}")
    return 1 if refused else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--todo", type=Path, help="write the untranslated msgids to this file")
    parser.add_argument("--merge", type=Path, help="copy a filled-in todo file into the table")
    parser.add_argument("--no-compile", action="store_true", help="skip compilemessages")
    parser.add_argument(
        "--wrap-punctuation", action="store_true", help="wrap templates' ：（）， in translate"
    )
    options = parser.parse_args()
    if options.merge:
        return merge_todo(options.merge)
    if options.wrap_punctuation:
        print(f"{wrap_punctuation()} marks wrapped; now run without --wrap-punctuation")
        return 0

    CATALOGUE.parent.mkdir(parents=True, exist_ok=True)
    run_manage(*MAKEMESSAGES)
    po = polib.pofile(str(CATALOGUE), wrapwidth=79)
    missing, problems = fill(po, load_table())
    set_header(po)
    po.save()
    if not options.no_compile:
        run_manage("compilemessages", "--locale=en", "--ignore=.venv", "--ignore=node_modules")

    print(f"{len(po)} msgids, {len(missing)} untranslated, {len(problems)} with problems")
    for problem in problems:
        print("problem:", problem)
    if missing and options.todo:
        todo = {table_key(e): (["", ""] if e.msgid_plural else "") for e in missing}
        options.todo.write_text(json.dumps(todo, ensure_ascii=False, indent=1) + "\n", "utf-8")
        print(f"untranslated msgids written to {options.todo}")
    else:
        for entry in missing:
            print("untranslated:", json.dumps(table_key(entry), ensure_ascii=False))
    return 1 if missing or problems else 0


if __name__ == "__main__":
    sys.exit(main())
