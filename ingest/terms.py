"""Index terms of Chinese and Latin text: bigrams of Han characters and lower-case words.

The stored text and the query are cut the same way, so a query matches when every one of its
terms is among a document's. Bigrams need no dictionary and find any two-character word or
longer phrase (保证金 → 保证 证金); a lone Han character is a term of its own.
"""

from __future__ import annotations

import re

from ingest.statements.labels import fold

# CJK unified ideographs (basic, extension A) and compatibility ideographs.
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN = re.compile(rf"(?P<han>[{_HAN}]+)|(?P<word>[^\W_{_HAN}]+)")
MAX_TERMS = 64  # of a query: more says nothing a shorter query would not


def folded(text: str) -> str:
    """The text as it is indexed and shown in snippets: simplified, NFKC, lower case."""
    return fold(text)


def terms_of(text: str) -> list[str]:
    """The terms of a text in order of appearance (repeats kept)."""
    found: list[str] = []
    for run in _RUN.finditer(folded(text)):
        han = run.group("han")
        if han is None:
            found.append(run.group())
        elif len(han) == 1:
            found.append(han)
        else:
            found.extend(han[i : i + 2] for i in range(len(han) - 1))
    return found


def index_terms(text: str) -> str:
    """A text's distinct terms, space separated, as stored for the index."""
    return " ".join(dict.fromkeys(terms_of(text)))


def query_terms(query: str) -> list[str]:
    """The distinct terms a query requires (all of them)."""
    return list(dict.fromkeys(terms_of(query)))[:MAX_TERMS]


def joined(lines: list[list[str]]) -> str:
    """Words of lines as one text: Han characters split into words are rejoined, so a phrase
    broken by the layout still gives its bigrams."""
    out = []
    for words in lines:
        line = ""
        for word in words:
            if line and not (_is_han(line[-1]) and word and _is_han(word[0])):
                line += " "
            line += word
        out.append(line)
    return "\n".join(out)


def _is_han(char: str) -> bool:
    return re.fullmatch(f"[{_HAN}]", char) is not None


def snippet(text: str, terms: list[str], width: int = 60) -> str | None:
    """The stretch of a folded text around its first term found, or None if none is."""
    places = [p for p in (text.find(t) for t in terms) if p >= 0]
    if not places:
        return None
    start = max(0, min(places) - width // 3)
    piece = " ".join(text[start : start + width].split())
    return ("…" if start else "") + piece + ("…" if start + width < len(text) else "")
