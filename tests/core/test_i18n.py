"""The English interface: a complete catalogue that keeps up with the code, pages that are
English when English is chosen, and a switcher any visitor can use.

The catalogue tests read the committed django.po; the page tests need its compiled .mo,
which `make setup` builds (git ignores it). docs/i18n.md says how to add a string.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.template.base import Lexer, TokenType
from django.urls import reverse
from django.utils import translation

from keyprojects.orgs.models import Region

from ..factories import make_application
from ..selection.conftest import recommended
from .english import (
    CJK,
    CJK_OR_FULL_WIDTH,
    DATA_EXAMPLES,
    PLACEHOLDER,
    check_interface_is_english,
)

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "src" / "keyprojects" / "locale"
PO = LOCALE / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


@pytest.fixture(scope="module")
def catalogue() -> polib.POFile:
    return polib.pofile(str(PO))


def translations_of(entry: polib.POEntry) -> list[str]:
    if entry.msgid_plural:
        return [entry.msgstr_plural.get(i, "") for i in range(2)]
    return [entry.msgstr]


def check_translation(entry: polib.POEntry) -> list[str]:
    """The faults of one entry: fuzzy, empty, untranslated Chinese, placeholders changed."""
    faults = ["fuzzy"] if "fuzzy" in entry.flags else []
    wanted = sorted(PLACEHOLDER.findall(entry.msgid))
    if entry.msgid_plural and sorted(PLACEHOLDER.findall(entry.msgid_plural)) != wanted:
        faults.append("msgid_plural has other placeholders than msgid")
    for text in translations_of(entry):
        chinese = set(CJK.findall(text)) - DATA_EXAMPLES
        if not text.strip():
            faults.append("empty")
        elif chinese or (text == entry.msgid and CJK.search(entry.msgid)):
            faults.append(f"still Chinese: {text!r}")
        elif sorted(PLACEHOLDER.findall(text)) != wanted:
            faults.append(f"placeholders {sorted(PLACEHOLDER.findall(text))} != {wanted}")
    return faults


def test_the_catalogue_is_english_with_two_plural_forms(catalogue):
    assert catalogue.metadata["Language"] == "en"
    assert "nplurals=2" in catalogue.metadata["Plural-Forms"]
    assert len(catalogue) > 1000  # the whole interface, not a sample


def test_every_msgid_has_a_proper_translation(catalogue):
    faults = {e.msgid: f for e in catalogue if not e.obsolete and (f := check_translation(e))}
    assert faults == {}, "run bin/translate_en.py (docs/i18n.md)"


def test_the_checker_finds_each_kind_of_fault():
    """check_translation is what guards the catalogue, so it must see every fault."""
    good = polib.POEntry(msgid="已吊销 %(n)d 个令牌。", msgstr="%(n)d tokens revoked.")
    assert check_translation(good) == []
    assert check_translation(polib.POEntry(msgid="5G", msgstr="5G")) == []
    example = polib.POEntry(msgid="如“南京市”", msgstr='e.g. "南京市"')
    assert check_translation(example) == []
    cases = {
        "empty": polib.POEntry(msgid="保存", msgstr=""),
        "still Chinese": polib.POEntry(msgid="保存", msgstr="保存"),
        "still Chinese ": polib.POEntry(msgid="保存草稿", msgstr="Save 草稿"),
        "placeholders": polib.POEntry(msgid="第%(n)d项", msgstr="Item %(m)d"),
        "placeholders ": polib.POEntry(msgid="用时 %(s).1f 秒", msgstr="in %(s)d seconds"),
        "fuzzy": polib.POEntry(msgid="保存", msgstr="Save", flags=["fuzzy"]),
    }
    for fault, entry in cases.items():
        assert any(f.startswith(fault.strip()) for f in check_translation(entry)), fault
    plural = polib.POEntry(
        msgid="共 %(n)s 个案例",
        msgid_plural="共 %(n)s 个案例",
        msgstr_plural={0: "%(n)s case", 1: ""},
    )
    assert check_translation(plural) == ["empty"]


def msgids_in_the_code(workdir: Path) -> set[str]:
    """makemessages run over a copy of the code with an empty locale folder: what the code
    marks for translation today, whatever the committed catalogue says."""
    shutil.copy(ROOT / "manage.py", workdir)
    shutil.copytree(
        ROOT / "src",
        workdir / "src",
        ignore=shutil.ignore_patterns("__pycache__", "locale", "static", "*.pyc"),
    )
    (workdir / "src" / "keyprojects" / "locale").mkdir()
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--locale=en", "--no-location"],
        cwd=workdir,
        check=True,
        capture_output=True,
    )
    fresh = polib.pofile(str(workdir / "src/keyprojects/locale/en/LC_MESSAGES/django.po"))
    return {e.msgid for e in fresh}


def test_the_catalogue_has_every_msgid_of_the_code(catalogue, tmp_path):
    committed = {e.msgid for e in catalogue if not e.obsolete}
    missing = msgids_in_the_code(tmp_path) - committed
    assert missing == set(), "new strings: run bin/translate_en.py (docs/i18n.md)"


def chinese_outside_translation(source: str) -> list[str]:
    """Chinese text or full-width punctuation a template writes outside its translate and
    blocktranslate tags, which no catalogue can reach."""
    found, depth = [], 0
    for token in Lexer(source).tokenize():
        words = token.contents.split() or [""]
        if token.token_type == TokenType.BLOCK and words[0] in ("blocktranslate", "comment"):
            depth += 1
        elif token.token_type == TokenType.BLOCK and words[0] in (
            "endblocktranslate",
            "endcomment",
        ):
            depth -= 1
        elif token.token_type == TokenType.TEXT and depth == 0:
            found += CJK_OR_FULL_WIDTH.findall(token.contents)
    return found


def test_templates_write_no_chinese_outside_translation_tags():
    templates = ROOT / "src" / "keyprojects" / "templates"
    found = {
        str(path.relative_to(templates)): chinese
        for path in sorted(templates.rglob("*.*"))
        if (chinese := chinese_outside_translation(path.read_text(encoding="utf-8")))
    }
    assert found == {}, "mark them; bin/translate_en.py --wrap-punctuation wraps ：（）， etc."


def test_the_template_checker_sees_chinese_between_tags():
    assert chinese_outside_translation('{% translate "理由" %}：{{ reason }}') == ["："]
    assert chinese_outside_translation("<h1>{{ year }}年汇编</h1>") == ["年", "汇", "编"]
    inside = '{% translate "理由" %}{% translate "：" %}'
    inside += "{% blocktranslate %}共 {{ n }} 项{% endblocktranslate %}"
    assert chinese_outside_translation(inside) == []


def test_the_compiled_catalogue_is_current():
    assert MO.exists() and MO.stat().st_mtime >= PO.stat().st_mtime, (
        "django.mo is missing or older than django.po: run `make setup`"
    )


def test_model_choices_are_translated():
    from keyprojects.applications.workflow import Status

    with translation.override("en"):
        assert str(Status.SUBMITTED.label) == "Submitted"
        assert str(Region.Kind.COUNTY.label) == "County"


# --- Pages -----------------------------------------------------------------------------


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def assert_english_page(client, url, *must_show):
    response = english(client).get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="en">' in page
    for text in must_show:
        assert text in page
    assert check_interface_is_english(page) == []
    return page


def test_the_page_checker_sees_interface_chinese_but_not_data(regions):
    assert check_interface_is_english("<p>玄武区</p><p title='保存'>Save</p>") == ["保存"]
    assert check_interface_is_english("<p>Region: 玄武区</p><script>'保存'</script>") == []
    assert check_interface_is_english("<p>Reason：none</p>") == ["Reason：none"]
    assert check_interface_is_english('<button lang="zh-hans">简体中文</button>') == []


def test_home_in_english(client, call):
    page = assert_english_page(client, "/", "Smart Jiangsu Key Projects", "Log in")
    assert "智慧江苏重点工程申报平台" not in page


def test_login_in_english(client, regions):
    assert_english_page(client, reverse("login"), "Forgotten your password?")


def test_applicant_form_in_english(client, call, applicant):
    application = make_application(call, applicant, complete=False, attach=False)
    client.force_login(applicant)
    url = reverse("applications:edit", args=[application.pk])
    assert_english_page(client, url, "Fill in the application form", "Project name")


def test_office_list_in_english(client, call, office):
    recommended(call, seat="320102", name="玄武区一网统管平台")
    client.force_login(office)
    url = reverse("selection:overview", args=[call.slug])
    assert_english_page(client, url, "Recommending authority", "玄武区一网统管平台")


def test_without_a_choice_the_interface_is_chinese(client, call):
    page = client.get("/").content.decode()
    assert '<html lang="zh-Hans">' in page
    assert "智慧江苏重点工程申报平台" in page


# --- The switcher ------------------------------------------------------------------------


def test_the_switcher_round_trip(client, call, applicant):
    client.force_login(applicant)
    page = client.get(reverse("applications:home")).content.decode()
    assert 'name="language" value="en"' in page  # every page offers the other language

    response = client.post(
        reverse("set_language"), {"language": "en", "next": reverse("applications:home")}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("applications:home")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get(reverse("applications:home")).content.decode()
    assert "My applications" in page
    assert 'name="language" value="zh-hans"' in page  # and the way back, named in Chinese
    assert "简体中文" in page

    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert "我的申报" in client.get(reverse("applications:home")).content.decode()


def test_the_switcher_refuses_an_outside_next_address(client, regions):
    response = client.post(
        reverse("set_language"), {"language": "en", "next": "https://example.com/"}
    )
    assert response["Location"] == "/"


def test_an_unknown_language_is_ignored(client, call):
    """Django accepts any language it has a catalogue for; the site only serves its own two."""
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    assert '<html lang="zh-Hans">' in client.get("/").content.decode()
