"""Chinese full-text search that behaves the same on SQLite and PostgreSQL.

Chinese has no spaces between words, so a word like 数字孪生 must match inside running text:
every whitespace-separated term of the query must occur as a substring of the case's
normalised search text (a plain LIKE on both databases, no engine-specific full-text
feature, nothing a PostgreSQL-compatible domestic database would lack). Normalising both
sides the same way (NFKC folds full-width letters and digits, casefold lowers Latin) makes
"ＡＩ", "ai" and "AI" one term. Title matches rank first. Snippets highlight the matched
terms in the original text, escaped.
"""

import unicodedata

# Django's conditional expression shares its name with the model: renamed here.
from django.db.models import Case as Conditional
from django.db.models import Q, Value, When
from django.utils.html import escape
from django.utils.safestring import mark_safe

MAX_TERMS = 8
MAX_TERM_LENGTH = 40


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "").casefold()
    return " ".join(text.split())


def terms(query: str) -> list[str]:
    """The distinct terms of a query, in order, bounded in number and length."""
    seen = []
    for term in normalise(query).split():
        term = term[:MAX_TERM_LENGTH]
        if term not in seen:
            seen.append(term)
    return seen[:MAX_TERMS]


def search_fields(case, figures) -> tuple[str, str]:
    """(title, all text) of a case, normalised, for its search columns."""
    parts = [
        case.title,
        case.summary,
        case.problem,
        case.solution,
        case.technologies,
        case.results,
        case.organisation.name,
        case.city_label,
        case.category.name if case.category_id else "",
        *(figure.label for figure in figures),
    ]
    return normalise(case.title), normalise("\n".join(parts))


def matching(queryset, query_terms):
    """Cases containing every term, title matches first (rank = terms found in the title)."""
    for term in query_terms:
        queryset = queryset.filter(search_text__contains=term)
    if not query_terms:
        return queryset
    rank = sum(
        (
            Conditional(When(Q(search_title__contains=term), then=Value(1)), default=Value(0))
            for term in query_terms
        ),
        start=Value(0),
    )
    return queryset.annotate(rank=rank).order_by("-rank", "-published_at", "pk")


def _normalised_with_origin(text):
    """The normalised characters of `text`, each with the index of the character it came
    from, so a match found in normalised text maps back onto the original."""
    chars, origin = [], []
    for index, char in enumerate(text):
        for folded in unicodedata.normalize("NFKC", char).casefold():
            chars.append(folded)
            origin.append(index)
    return "".join(chars), origin


def spans(text: str, query_terms) -> list[tuple[int, int]]:
    """(start, end) of every occurrence of any term in `text`, merged, in order."""
    folded, origin = _normalised_with_origin(text)
    found = []
    for term in query_terms:
        start = folded.find(term)
        while start != -1 and term:
            end = start + len(term)
            found.append((origin[start], origin[end - 1] + 1))
            start = folded.find(term, end)
    merged = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight(text: str, query_terms, width: int | None = None):
    """`text` as safe HTML with the terms in <mark>; cut to about `width` characters around
    the first match when given. Everything from the text is escaped."""
    text = text or ""
    found = spans(text, query_terms)
    start, end = 0, len(text)
    if width is not None and len(text) > width:
        first = found[0][0] if found else 0
        start = max(0, first - width // 4)
        end = min(len(text), start + width)
    pieces = ["…" if start > 0 else ""]
    position = start
    for span_start, span_end in found:
        span_start, span_end = max(span_start, start), min(span_end, end)
        if span_start >= span_end:
            continue
        pieces.append(escape(text[position:span_start]))
        pieces.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
        position = span_end
    pieces.append(escape(text[position:end]))
    pieces.append("…" if end < len(text) else "")
    return mark_safe("".join(pieces))


def snippet(case, query_terms, width=120):
    """The part of the case that best shows why it matched, highlighted."""
    for text in [case.summary, case.solution, case.problem, case.results, case.technologies]:
        if query_terms and spans(text or "", query_terms):
            return highlight(text, query_terms, width)
    return highlight(case.summary, query_terms, width)
