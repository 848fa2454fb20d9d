"""The English catalogue is complete, compiled and in step with the code.

The UI is written in Chinese (the msgids); English comes from
cases/locale/en/LC_MESSAGES/django.po, compiled to django.mo. Both files are
committed because a fresh machine may have no GNU gettext, so these tests use
neither msgfmt nor xgettext: they parse the .po and .mo themselves and find the
literal msgids in the code the way makemessages would (ast for Python,
Django's own templatize for templates).

When a test here fails after you add or change UI text:

    python manage.py makemessages -l en --ignore=.venv --ignore=var --ignore=tests --ignore=bench --no-obsolete
    # translate the new entries in django.po, then
    python manage.py compilemessages -l en --ignore=.venv
"""

from __future__ import annotations

import ast
import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.utils.translation.template import templatize

ROOT = Path(__file__).resolve().parent.parent
LOCALE_DIR = ROOT / "cases" / "locale" / "en" / "LC_MESSAGES"
PO_PATH = LOCALE_DIR / "django.po"
MO_PATH = LOCALE_DIR / "django.mo"

# Django code whose UI text goes through gettext. casetracker/ is plain Python
# (no Django, bilingual label tables), so it has nothing for the catalogue.
SOURCE_DIRS = [ROOT / "cases", ROOT / "config"]
SKIP_PARTS = {"migrations", "locale", "static", "__pycache__"}

# The keywords makemessages gives xgettext for Python, by argument role.
SINGULAR = {"_", "gettext", "gettext_lazy", "gettext_noop"}
PLURAL = {"ngettext", "ngettext_lazy"}
CONTEXT = {"pgettext", "pgettext_lazy"}
CONTEXT_PLURAL = {"npgettext", "npgettext_lazy"}
KEYWORDS = SINGULAR | PLURAL | CONTEXT | CONTEXT_PLURAL


# --- a minimal .po reader (polib is not a dependency) -------------------------------------------


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)


_KEYWORD_LINE = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")\s*$')


def read_po(path: Path) -> list[Entry]:
    """Entries of a .po file, header included (msgid ""), obsolete (#~) entries left out."""
    entries: list[Entry] = []
    current = Entry()
    target: tuple[str, int] | None = None
    started = False  # the current entry has seen its msgid

    def finish() -> None:
        nonlocal current, target, started
        if started:
            entries.append(current)
        current, target, started = Entry(), None, False

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            if not line:
                finish()
            continue
        if line.startswith("#"):
            if started:  # comments always open a new entry
                finish()
            if line.startswith("#,"):
                current.flags.update(flag.strip() for flag in line[2:].split(","))
            continue
        match = _KEYWORD_LINE.match(line)
        if match:
            keyword, index, literal = match.groups()
            value = ast.literal_eval(literal)
            if keyword in ("msgctxt", "msgid") and started and target is not None and target[0] == "msgstr":
                finish()
            if keyword == "msgctxt":
                current.msgctxt, target = value, ("msgctxt", 0)
            elif keyword == "msgid":
                current.msgid, current.line, target, started = value, number, ("msgid", 0), True
            elif keyword == "msgid_plural":
                current.msgid_plural, target = value, ("msgid_plural", 0)
            else:
                slot = int(index) if index is not None else 0
                current.msgstr[slot], target = value, ("msgstr", slot)
            continue
        if line.startswith('"') and target is not None:
            value = ast.literal_eval(line)
            name, slot = target
            if name == "msgstr":
                current.msgstr[slot] += value
            else:
                setattr(current, name, getattr(current, name) + value)
            continue
        raise AssertionError(f"{path.name}:{number}: cannot read {raw!r}")
    finish()
    return entries


def catalogue() -> list[Entry]:
    return [entry for entry in read_po(PO_PATH) if entry.msgid]


def describe(entry: Entry) -> str:
    context = f"[{entry.msgctxt}] " if entry.msgctxt else ""
    return f"django.po:{entry.line}: {context}{entry.msgid!r}"


# --- (a) every entry is translated and compiled -------------------------------------------------


def test_the_po_file_parses_into_a_real_catalogue():
    entries = read_po(PO_PATH)
    header = [entry for entry in entries if not entry.msgid]

    assert len(header) == 1 and "Language: en" in header[0].msgstr[0]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header[0].msgstr[0]
    assert len(entries) > 300  # a parser that silently drops entries would pass the tests below


def test_every_entry_has_an_english_translation():
    untranslated = [describe(entry) for entry in catalogue() if not all(entry.msgstr.values())]

    assert not untranslated, "Untranslated entries:\n" + "\n".join(untranslated)


def test_no_entry_is_fuzzy():
    fuzzy = [describe(entry) for entry in catalogue() if "fuzzy" in entry.flags]

    assert not fuzzy, "Fuzzy entries (check the translation, then remove the flag):\n" + "\n".join(fuzzy)


def test_plural_entries_have_both_english_forms():
    broken = [describe(e) for e in catalogue() if e.msgid_plural is not None and sorted(e.msgstr) != [0, 1]]

    assert not broken, "\n".join(broken)


_PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[#0 +-]*\d*(?:\.\d+)?[sdifr%]|\{[^{}]*\}")


def test_translations_keep_the_placeholders():
    def placeholders(text: str) -> list[str]:
        return sorted(_PLACEHOLDER.findall(text))

    broken = []
    for entry in catalogue():
        sources = [entry.msgid] if entry.msgid_plural is None else [entry.msgid, entry.msgid_plural]
        for slot, translation in entry.msgstr.items():
            source = sources[min(slot, len(sources) - 1)]
            if "python-format" in entry.flags and placeholders(source) != placeholders(translation):
                broken.append(f"{describe(entry)} -> {translation!r}")
    assert not broken, "Placeholders differ:\n" + "\n".join(broken)


def _without_creation_date(header: str) -> str:
    return "".join(line for line in header.splitlines(keepends=True) if not line.startswith("POT-Creation-Date:"))


def test_the_compiled_mo_matches_the_po():
    """compilemessages was run after the last edit of the .po (the .mo is what Django reads)."""
    with MO_PATH.open("rb") as handle:
        compiled = dict(gettext.GNUTranslations(handle)._catalog)  # type: ignore[attr-defined]
    # msgfmt leaves POT-Creation-Date out of the compiled header.
    compiled[""] = _without_creation_date(compiled.get("", ""))
    expected: dict[object, str] = {}
    for entry in read_po(PO_PATH):
        msgid = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
        if entry.msgid_plural is None:
            expected[msgid] = entry.msgstr[0] if entry.msgid else _without_creation_date(entry.msgstr[0])
        else:
            expected.update({(msgid, slot): text for slot, text in entry.msgstr.items()})

    stale = sorted(repr(key) for key in expected.keys() ^ compiled.keys())
    changed = sorted(repr(key) for key in expected.keys() & compiled.keys() if expected[key] != compiled[key])
    assert not stale and not changed, "Run compilemessages: django.mo differs from django.po for " + ", ".join(
        (stale + changed)[:20]
    )


# --- (b) every literal msgid in the code is in the catalogue ------------------------------------


@dataclass(frozen=True)
class Found:
    where: str
    msgctxt: str | None
    msgid: str
    msgid_plural: str | None = None


def _source_files(suffix: str) -> list[Path]:
    files = []
    for base in SOURCE_DIRS:
        files += [p for p in base.rglob(f"*{suffix}") if not SKIP_PARTS & set(p.relative_to(ROOT).parts)]
    return sorted(files)


def _call_name(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


def python_msgids() -> tuple[list[Found], list[str]]:
    """Literal msgids of gettext calls in Python, and calls whose text is not a plain literal.

    Non-literal arguments (a variable, a lookup) are skipped: makemessages cannot
    extract them either, and they translate text that is extracted elsewhere.
    An f-string, a concatenation or a %-formatted literal inside the call is
    reported, because gettext would look up text that is never in the catalogue.
    """
    found: list[Found] = []
    broken: list[str] = []
    for path in _source_files(".py"):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or _call_name(node) not in KEYWORDS:
                continue
            name = _call_name(node)
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            wanted = 1 + (name in PLURAL | CONTEXT) + 2 * (name in CONTEXT_PLURAL)
            args = node.args[:wanted]
            if any(isinstance(a, ast.JoinedStr | ast.BinOp) for a in args):
                broken.append(f"{where}: {ast.unparse(node)}")
                continue
            if len(args) < wanted or not all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in args):
                continue  # a variable: nothing to look up
            texts = [a.value for a in args]  # type: ignore[attr-defined]
            if name in SINGULAR:
                found.append(Found(where, None, texts[0]))
            elif name in PLURAL:
                found.append(Found(where, None, texts[0], texts[1]))
            elif name in CONTEXT:
                found.append(Found(where, texts[0], texts[1]))
            else:
                found.append(Found(where, texts[0], texts[1], texts[2]))
    return found, broken


# templatize() turns a template into the pseudo-Python that makemessages hands to
# xgettext: {% translate %} and {% blocktranslate %} become gettext(u'...') calls.
_STRING = r"""u?(?:'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")"""
_TEMPLATE_CALL = re.compile(rf"\b(n?p?gettext)\(\s*({_STRING}(?:\s*,\s*{_STRING})*)")


def template_msgids() -> list[Found]:
    found = []
    for path in _source_files(".html") + _source_files(".txt"):
        text = templatize(path.read_text(encoding="utf-8"), origin=str(path))
        for number, line in enumerate(text.splitlines(), 1):
            for match in _TEMPLATE_CALL.finditer(line):
                name = match.group(1)
                texts = [ast.literal_eval(s) for s in re.findall(_STRING, match.group(2))]
                context = texts.pop(0) if name.startswith(("pgettext", "npgettext")) else None
                plural = texts[1] if name.startswith(("ngettext", "npgettext")) and len(texts) > 1 else None
                found.append(Found(f"{path.relative_to(ROOT)}:{number}", context, texts[0], plural))
    return found


def test_the_scanners_see_the_code():
    """Guards the test below: a regex that matched nothing would make it pass vacuously."""
    in_python, _broken = python_msgids()
    in_templates = template_msgids()

    assert len(in_python) > 150 and len(in_templates) > 150
    assert any(f.msgid == "行政复议" for f in in_python)
    assert any(f.msgid == "登录" and f.where.startswith("cases/templates/registration/") for f in in_templates)
    assert any(f.msgid_plural == "共 %(counter)s 件" for f in in_templates)  # a blocktranslate with count


def test_no_gettext_call_builds_its_text_at_run_time():
    _found, broken = python_msgids()

    assert not broken, "Pass a literal to gettext and format afterwards: _('… %(x)s') % {...}\n" + "\n".join(broken)


def test_every_msgid_in_the_code_is_in_the_catalogue():
    entries = {entry.key: entry for entry in catalogue()}
    in_python, _broken = python_msgids()
    missing = []
    for found in in_python + template_msgids():
        entry = entries.get((found.msgctxt, found.msgid))
        if entry is None:
            missing.append(f"{found.where}: {found.msgid!r}")
        elif found.msgid_plural is not None and entry.msgid_plural != found.msgid_plural:
            missing.append(f"{found.where}: {found.msgid!r} (plural {found.msgid_plural!r})")

    assert not missing, "Not in django.po (run makemessages and translate):\n" + "\n".join(sorted(set(missing)))


# --- (c) the language switch reaches the pages ---------------------------------------------------

LOGIN = "/accounts/login/"
ENGLISH_TITLE = "Reconsideration & Litigation Tracker"  # {% translate %} output is not HTML-escaped


@pytest.mark.django_db
def test_login_page_is_chinese_by_default(client):
    html = client.get(LOGIN).content.decode()

    assert '<html lang="zh-hans">' in html
    assert "行政复议与应诉案件管理" in html and "法制科案件台账、期限提醒与年度统计" in html
    assert ENGLISH_TITLE not in html


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "zh-CN", "zh"])
def test_login_page_is_chinese_when_asked_for_chinese(client, language):
    html = client.get(LOGIN, HTTP_ACCEPT_LANGUAGE=language).content.decode()

    assert "行政复议与应诉案件管理" in html and "Log in" not in html


@pytest.mark.django_db
def test_login_page_is_english_for_accept_language_en(client):
    html = client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").content.decode()

    assert '<html lang="en">' in html
    assert ENGLISH_TITLE in html
    assert "Case ledger, deadline reminders and yearly figures of the legal office" in html
    assert "Log in" in html
    assert "行政复议与应诉案件管理" not in html


@pytest.mark.django_db
def test_the_language_cookie_wins_over_accept_language(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    chinese = client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert ENGLISH_TITLE in english and "行政复议与应诉案件管理" not in english
    assert "行政复议与应诉案件管理" in chinese and ENGLISH_TITLE not in chinese


@pytest.mark.django_db
def test_the_language_switch_sets_the_cookie(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": LOGIN})

    assert response.status_code == 302 and response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert ENGLISH_TITLE in client.get(LOGIN).content.decode()
