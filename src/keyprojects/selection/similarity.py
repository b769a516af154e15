"""Near-duplicate detection for Chinese project texts: character shingles, MinHash, LSH.

Chinese has no spaces between words, so a text is compared as the set of its overlapping
character k-grams (shingles) after removing punctuation and spaces. MinHash estimates the
Jaccard similarity of two such sets in constant time and LSH (locality-sensitive hashing)
finds the candidate pairs without comparing every pair; the candidates' exact Jaccard
similarities decide. Names are compared apart, with the phase wording (二期, 三期 …)
removed, so the continuation phase of an earlier key project is found even when its
construction content is new.

Everything here is plain Python on plain data (no database), so the benchmark
(bench/bench_duplicates.py) runs the very code the background task runs.
"""

import dataclasses
import difflib
import itertools
import re
import unicodedata
import zlib
from collections import Counter
from collections.abc import Iterable, Sequence

from datasketch import MinHash, MinHashLSH

NUM_PERM = 128
TEXT_SHINGLE = 3  # three characters: more telling than two-character words in Chinese
NAME_SHINGLE = 2  # names are short
# LSH thresholds sit below the acceptance thresholds so that few true pairs are missed.
TEXT_LSH_THRESHOLD = 0.3
NAME_LSH_THRESHOLD = 0.5

# When a candidate pair is kept (exact Jaccard similarities of the shingle sets):
TEXT_THRESHOLD = 0.4  # the same content, edited
SAME_NAME = 0.9  # the same project name (phase wording removed), up to a character
SHARED_PARTY_TEXT = 0.3  # an organisation on both sides and much content in common
CONTINUATION_NAME = 0.7  # phase wording and a similar name of an earlier key project
CONTINUATION_TEXT = 0.3  # phase wording and content much like an earlier key project

# Shingles found in very many documents are boilerplate (等保三级, 国产服务器 …), not
# evidence of copying: those in more than this share of the documents (and in at least
# COMMON_MIN of them, so small calls lose nothing) are left out of the comparison.
COMMON_SHARE = 0.01
COMMON_MIN = 30

MIN_PASSAGE = 8  # characters; shorter common runs are everyday phrases
MAX_PASSAGES = 5
MAX_COMPARED = 6000  # characters per text for the passages (difflib is quadratic)

_NOT_WORD = re.compile(r"[\W_]+")
# 二期, 三期工程, 第2期, （一期）…, but not 周期, 长期, 十四五期间, 期末.
_PHASE_TERM = r"第?[一二三四五六七八九十\d]期(?![间末中限刊])"
_PHASE = re.compile(rf"[（(]?{_PHASE_TERM}(?:工程|项目)?[)）]?")
_CONTINUATION_WORDS = re.compile(r"续建|续期|后续建设|第[二三四五六七八九十\d]阶段")


def normalise(text: str) -> str:
    """Full-width forms folded, lower case, punctuation and spaces removed."""
    return _NOT_WORD.sub("", unicodedata.normalize("NFKC", text or "").lower())


def shingles(text: str, k: int = TEXT_SHINGLE) -> set[str]:
    flat = normalise(text)
    if len(flat) <= k:
        return {flat} if flat else set()
    return {flat[i : i + k] for i in range(len(flat) - k + 1)}


def continuation_terms(text: str) -> list[str]:
    """The phase or continuation wording in a text (二期, 续建 …), each once, in order."""
    found = re.findall(_PHASE_TERM, text or "") + _CONTINUATION_WORDS.findall(text or "")
    return list(dict.fromkeys(found))


def strip_phase(name: str) -> str:
    return _CONTINUATION_WORDS.sub("", _PHASE.sub("", name or ""))


def jaccard(a: set, b: set) -> float:
    if not a or not b:
        return 0.0
    common = len(a & b)
    return common / (len(a) + len(b) - common)


@dataclasses.dataclass(frozen=True)
class Document:
    """One project to compare: an application of the call, or an earlier key project."""

    key: str
    name: str
    text: str  # what is compared: name, summary and construction content
    parties: frozenset = frozenset()  # credit codes of applicant and partners
    past: bool = False


@dataclasses.dataclass(frozen=True)
class Match:
    left: Document  # always an application of the call
    right: Document  # another application, or an earlier key project
    estimated: float  # MinHash estimate of `jaccard`
    jaccard: float  # exact, over the text shingles
    name_jaccard: float  # exact, over the name shingles without phase wording
    shared_parties: frozenset
    continuation: bool
    terms: tuple  # phase or continuation wording found in the application (or either)

    @property
    def score(self) -> float:
        return max(self.jaccard, self.name_jaccard)


def _hash(value: bytes) -> int:
    # CRC32 is deterministic across processes (unlike hash()) and much faster than the
    # SHA-1 datasketch uses by default; MinHash's own permutations do the mixing.
    return zlib.crc32(value)


def minhashes(sets: Sequence[set], num_perm: int = NUM_PERM) -> list[MinHash]:
    return MinHash.bulk(
        ([s.encode("utf-8") for s in shingle_set] for shingle_set in sets),
        num_perm=num_perm,
        hashfunc=_hash,
    )


def _without_boilerplate(sets: list[set]) -> list[set]:
    limit = max(COMMON_MIN, int(COMMON_SHARE * len(sets)))
    if len(sets) <= limit:
        return sets
    frequency = Counter(itertools.chain.from_iterable(sets))
    common = {shingle for shingle, n in frequency.items() if n > limit}
    return [s - common for s in sets] if common else sets


def _index(hashes, sets, threshold, num_perm):
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    with lsh.insertion_session() as session:
        for position, (minhash, shingle_set) in enumerate(zip(hashes, sets, strict=True)):
            if shingle_set:
                session.insert(position, minhash, check_duplication=False)
    return lsh


class Index:
    """MinHash signatures and LSH tables of a set of documents, built in bulk."""

    def __init__(self, documents: Iterable[Document], num_perm: int = NUM_PERM):
        self.docs = list(documents)
        self.text_sets = _without_boilerplate([shingles(d.text, TEXT_SHINGLE) for d in self.docs])
        self.name_sets = [shingles(strip_phase(d.name), NAME_SHINGLE) for d in self.docs]
        self._terms = {}
        self.text_hashes = minhashes(self.text_sets, num_perm)
        self.name_hashes = minhashes(self.name_sets, num_perm)
        self.text_lsh = _index(self.text_hashes, self.text_sets, TEXT_LSH_THRESHOLD, num_perm)
        self.name_lsh = _index(self.name_hashes, self.name_sets, NAME_LSH_THRESHOLD, num_perm)

    def candidates(self, i: int) -> set[int]:
        found = set()
        if self.text_sets[i]:
            found.update(self.text_lsh.query(self.text_hashes[i]))
        if self.name_sets[i]:
            found.update(self.name_lsh.query(self.name_hashes[i]))
        return found

    def matches_for(self, i: int) -> list[Match]:
        """The suspected pairs of application `i` with the applications after it and with
        every earlier key project (so each pair of applications comes once)."""
        matches = []
        for j in self.candidates(i):
            if j == i or (not self.docs[j].past and j < i):
                continue
            match = self._judge(i, j)
            if match is not None:
                matches.append(match)
        return matches

    def terms(self, i: int) -> list[str]:
        """Phase wording of document i: in the whole text of an application, in the name
        of an earlier key project (one named "…一期" says the application is a later phase)."""
        if i not in self._terms:
            doc = self.docs[i]
            self._terms[i] = continuation_terms(doc.name if doc.past else f"{doc.name}\n{doc.text}")
        return list(self._terms[i])

    def _judge(self, i, j) -> Match | None:
        left, right = self.docs[i], self.docs[j]
        text = jaccard(self.text_sets[i], self.text_sets[j])
        name = jaccard(self.name_sets[i], self.name_sets[j])
        shared = left.parties & right.parties
        terms = self.terms(i)
        terms += [t for t in self.terms(j) if t not in terms]
        continuation = (
            right.past and bool(terms) and (name >= CONTINUATION_NAME or text >= CONTINUATION_TEXT)
        )
        keep = (
            text >= TEXT_THRESHOLD
            or name >= SAME_NAME
            or (shared and text >= SHARED_PARTY_TEXT)
            or continuation
        )
        if not keep:
            return None
        return Match(
            left=left,
            right=right,
            estimated=self.text_hashes[i].jaccard(self.text_hashes[j]),
            jaccard=text,
            name_jaccard=name,
            shared_parties=frozenset(shared),
            continuation=continuation,
            terms=tuple(terms),
        )


def find_pairs(documents: Iterable[Document], num_perm: int = NUM_PERM) -> list[Match]:
    """Every suspected pair among `documents`: application × application and
    application × earlier key project (earlier projects are not compared among
    themselves). Sorted by score, highest first."""
    index = Index(documents, num_perm)
    matches = []
    for i, doc in enumerate(index.docs):
        if not doc.past:
            matches += index.matches_for(i)
    matches.sort(key=lambda m: (-m.score, m.left.key, m.right.key))
    return matches


# --- The passages that match, for the office to read -------------------------------------


def _blocks(a: str, b: str):
    matcher = difflib.SequenceMatcher(None, a[:MAX_COMPARED], b[:MAX_COMPARED], autojunk=False)
    return [block for block in matcher.get_matching_blocks() if block.size >= MIN_PASSAGE]


def matching_passages(a: str, b: str, limit: int = MAX_PASSAGES) -> list[str]:
    """The longest runs of text the two have in common, longest first."""
    blocks = sorted(_blocks(a, b), key=lambda block: -block.size)[:limit]
    return [a[block.a : block.a + block.size] for block in blocks]


def highlighted(a: str, b: str) -> tuple[list[tuple[str, bool]], list[tuple[str, bool]]]:
    """Both texts cut into (segment, is_common) pieces, for marking up the common runs."""
    blocks = _blocks(a, b)
    return _segments(a, [(x.a, x.size) for x in blocks]), _segments(
        b, [(x.b, x.size) for x in blocks]
    )


def _segments(text, spans):
    pieces, position = [], 0
    for start, size in spans:
        if start > position:
            pieces.append((text[position:start], False))
        pieces.append((text[start : start + size], True))
        position = start + size
    if position < len(text):
        pieces.append((text[position:], False))
    return pieces
