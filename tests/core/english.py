"""What English pages and catalogue entries are checked against (tests/core/test_i18n.py and
the browser journey tests/e2e/test_english_journey.py)."""

import re
from html.parser import HTMLParser

from django.db import models

from keyprojects.applications.models import Application
from keyprojects.calls.models import Call, Category
from keyprojects.orgs.models import Authority, Organisation, Region, User

CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
# Pages: also the full-width punctuation of Chinese text (，。：（）、 and the like); the
# ideographic space that lays out printed forms is only a space.
CJK_OR_FULL_WIDTH = re.compile(r"[\u3001-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")
# Chinese a translation may keep: examples of values that are typed in Chinese (the names of
# regions, authorities and categories that imports match), each also in its msgid.
DATA_EXAMPLES = {"徐州市", "南京市", "南京", "徐州市沛县信息化主管部门", "省交通运输厅"}
DATA_EXAMPLES |= {"数字基建类", "数字经济类", "数字治理类", "网络安全类", "类"}
DATA_EXAMPLES |= {"徐州", "南京市玄武区", "沛县"}
# What Python's %-formatting, Django's blocktranslate and str.format fill in.
PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[-#0+]*\d*(?:\.\d+)?[sdifr]|%%|\{[A-Za-z_0-9]*\}")


class VisibleText(HTMLParser):
    """The text a person reads or hears: text nodes and the attributes shown or spoken."""

    SPOKEN = ("title", "placeholder", "aria-label", "alt")

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._hidden: list[str] = []  # open elements whose text is not interface English

    def handle_starttag(self, tag, attrs):
        # Scripts and styles are not read; an element marked lang="zh-…" is Chinese on purpose
        # (the switcher names Chinese in Chinese).
        if tag in ("script", "style") or dict(attrs).get("lang", "").startswith("zh"):
            self._hidden.append(tag)
            return
        self.parts += [value for name, value in attrs if name in self.SPOKEN and value]
        if tag == "input" and ("type", "submit") in attrs:
            self.parts += [value for name, value in attrs if name == "value" and value]

    def handle_endtag(self, tag):
        if self._hidden and self._hidden[-1] == tag:
            self._hidden.pop()

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.parts.append(data.strip())


def data_texts() -> list[str]:
    """Text that comes from the data, not the interface: it stays Chinese (docs/i18n.md)."""
    texts = set()
    for model in (Call, Category, Region, Authority, Organisation, Application, User):
        for field in model._meta.concrete_fields:
            if isinstance(field, (models.CharField, models.TextField)):
                texts.update(model.objects.values_list(field.name, flat=True))
    texts = {t for t in texts if isinstance(t, str) and t}
    texts |= {t.rstrip("。") for t in texts}  # sentences are quoted without their full stop
    return sorted(texts, key=len, reverse=True)


def check_interface_is_english(html: str) -> list[str]:
    """The CJK text left on a page once the data's own names are taken out."""
    parser = VisibleText()
    parser.feed(html)
    text = "\n".join(parser.parts)
    for name in data_texts():
        text = text.replace(name, " ")
    return [line for line in text.splitlines() if CJK_OR_FULL_WIDTH.search(line)]
