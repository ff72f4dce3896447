"""Reading a business license (营业执照): name, unified social credit code, founding, validity,
registered capital, legal representative and address."""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import replace
from datetime import date

from ingest.capital import read_capital
from ingest.statement_schemas import LicenseFields
from ingest.statements.labels import simplified
from ingest.uscc import ALPHABET, uscc_problem
from ingest.words import Page, Word

__all__ = ["LicenseFields", "read_license"]


def _label(*names: str, misread: bool = False) -> re.Pattern[str]:
    # Licenses space labels out to align them (名　　称), so any spacing between characters;
    # `misread` also lets one character of a long label be misread (成立日其 for 成立日期).
    spellings = set(names)
    if misread:
        spellings |= {n[:i] + "." + n[i + 1 :] for n in names if len(n) >= 4 for i in range(len(n))}
    return re.compile("|".join(r"\s*".join(s).replace(".", r"\S") for s in sorted(spellings)))


NAME = _label("名称")
CODE = _label("统一社会信用代码", misread=True)
FOUNDED = _label("成立日期", "注册日期", misread=True)
TERM = _label("营业期限", "经营期限", "合伙期限", misread=True)
CAPITAL = _label("注册资本", "注册资金", "出资额", misread=True)
REPRESENTATIVE = _label("法定代表人", "负责人", "执行事务合伙人", "经营者", "投资人", misread=True)
ADDRESS = _label("住所", "主要经营场所", "经营场所")
# Every label printed on a license: a value runs up to the next one (two-column layouts).
ANY_LABEL = _label(
    "统一社会信用代码", "注册号", "名称", "类型", "住所", "经营场所", "法定代表人", "负责人",
    "执行事务合伙人", "经营者", "投资人", "注册资本", "注册资金", "出资额", "成立日期",
    "注册日期", "营业期限", "经营期限", "合伙期限", "经营范围", "登记机关", "组成形式",
)  # fmt: skip
PERSON = re.compile(r"[\u4e00-\u9fff·]{2,5}")  # a name as Chinese names are printed
ORGANISATION = re.compile(r"(公司|厂|店|行|部|社|中心|企业|合伙\)|合伙）|事务所)$")
ENDLESS = re.compile(r"长\s*期|永\s*久|不\s*约\s*定")
DATE = re.compile(r"(\d{4})\s*[年./-]\s*(\d{1,2})\s*[月./-]\s*(\d{1,2})")
CODE_RUN = re.compile(r"(?<![0-9A-Z])[0-9A-Z]{18,19}(?![0-9A-Z])")
# OCR mistakes letters and digits of similar shape for each other.
LOOKALIKES = {"O": "0", "I": "1", "Z": "2", "S": "5", "B": "8", "8": "B"}
DIGITS_READ = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1", "Z": "2", "S": "5", "B": "8"})
# Codes are printed in capitals, so a small letter in one is a misread digit: 1 read as "l"
# would otherwise become the valid letter L.
CODE_READ = str.maketrans({"l": "1", "i": "1", "o": "0", "s": "5", "z": "2"})
REGION = range(2, 8)  # positions of the 6-digit administrative region code
MOST_GUESSES = 4096  # repairs tried per candidate; beyond this the reading is too poor to trust
LABELLED, UNLABELLED, REPAIRED = 1.0, 0.7, 0.2  # confidence, and its cut for a repaired code


def read_license(pages: list[Page]) -> LicenseFields | None:
    """The fields a license shows, or None when none of them is found."""
    # Licenses are printed in simplified characters; OCR with the traditional model loaded
    # (for Hong Kong and Taiwan statements) returns some as traditional ones: 名稱, 營業期限.
    lines = [
        line
        for page in pages
        for line in _lines(tuple(replace(w, text=simplified(w.text)) for w in page.words))
    ]
    name, name_confidence = _name(lines)
    code, code_confidence = _code(lines)
    founded = _date(_value(lines, FOUNDED) or "")
    valid_from, valid_until, indefinite, term_confidence = _term(_value(lines, TERM) or "")
    if not (name or code or founded or term_confidence):
        return None
    capital = read_capital(_value(lines, CAPITAL) or "")
    representative, representative_confidence = _representative(lines)
    address = _text(_value(lines, ADDRESS), 300)
    return LicenseFields(
        name=name,
        name_confidence=name_confidence,
        uscc=code,
        uscc_confidence=code_confidence,
        founded_on=founded,
        founded_on_confidence=0.9 if founded else 0,
        valid_from=valid_from,
        valid_until=valid_until,
        indefinite=indefinite,
        term_confidence=term_confidence,
        registered_capital=capital[0] if capital else None,
        capital_currency=capital[1] if capital else None,
        capital_confidence=capital[2] if capital else 0,
        legal_representative=representative,
        legal_representative_confidence=representative_confidence,
        address=address,
        address_confidence=0.8 if address and len(address) >= 6 else 0.5 if address else 0,
    )


def _lines(words: tuple[Word, ...]) -> list[str]:
    # Words whose middles fall within a row's height share its line, read left to right; OCR
    # puts labels and values in separate blocks, so its own line numbers do not pair them.
    rows: list[list[Word]] = []
    for word in sorted(words, key=lambda w: w.top):
        middle = (word.top + word.bottom) / 2
        if rows and rows[-1][0].top <= middle <= rows[-1][0].bottom:
            rows[-1].append(word)
        else:
            rows.append([word])
    return [" ".join(w.text for w in sorted(row, key=lambda w: w.x0)) for row in rows]


def _value(lines: list[str], label: re.Pattern[str]) -> str | None:
    # What follows the label up to the next label; on the next line if the label stands alone.
    for index, line in enumerate(lines):
        found = label.search(line)
        if not found:
            continue
        rest = _up_to_label(line[found.end() :])
        if not rest.strip(" :：") and index + 1 < len(lines):
            rest = _up_to_label(lines[index + 1])
        return rest.strip()
    return None


def _up_to_label(text: str) -> str:
    following = ANY_LABEL.search(text)
    return text[: following.start()] if following else text


def _name(lines: list[str]) -> tuple[str | None, float]:
    # A name that ends like an organisation's (有限公司, 厂, 合伙) is more likely read whole.
    name = (_value(lines, NAME) or "").strip(" :：\"'“”‘’")  # OCR reads specks as quotes
    if len(name) < 2:
        return None, 0
    return name, 0.9 if ORGANISATION.search(name) else 0.6


def _text(value: str | None, longest: int) -> str | None:
    # A value as printed, without the colons and specks around it; None if nothing is left.
    found = (value or "").strip(" :：\"'“”‘’")
    return found[:longest] if len(found) >= 2 else None


def _representative(lines: list[str]) -> tuple[str | None, float]:
    # A person's name of two to five characters is likely read whole; a company as partner less.
    name = _text(_value(lines, REPRESENTATIVE), 100)
    if name is None:
        return None, 0
    return name, 0.9 if PERSON.fullmatch(name) else 0.6


def _code(lines: list[str]) -> tuple[str | None, float]:
    # The code beside its label is trusted most; else any 18-character run that checks out.
    sources = [(_value(lines, CODE), LABELLED)] + [(line, UNLABELLED) for line in lines]
    for text, confidence in sources:
        for run in CODE_RUN.findall(re.sub(r"\s+", "", text or "").translate(CODE_READ).upper()):
            # OCR sometimes reads one character as two (5 as S5): try each one left out.
            candidates = [run] if len(run) == 18 else [run[:i] + run[i + 1 :] for i in range(19)]
            repaired = {found for candidate in candidates if (found := _repair(candidate))}
            if len(repaired) == 1:
                code = repaired.pop()
                return code, confidence - (REPAIRED if code != run else 0)
    return None, 0


def _repair(candidate: str) -> str | None:
    # The one valid code within the fewest lookalike swaps, or None if there are none or several.
    choices = [_readings(char, position) for position, char in enumerate(candidate)]
    if not 0 < math.prod(len(options) for options in choices) <= MOST_GUESSES:
        return None
    valid: dict[int, list[str]] = {}
    for combination in itertools.product(*choices):
        code = "".join(combination)
        if uscc_problem(code) is None:
            changes = sum(a != b for a, b in zip(code, candidate, strict=True))
            valid.setdefault(changes, []).append(code)
    if not valid:
        return None
    fewest = valid[min(valid)]
    return fewest[0] if len(fewest) == 1 else None


def _readings(char: str, position: int) -> list[str]:
    allowed = "0123456789" if position in REGION else ALPHABET
    return [option for option in (char, LOOKALIKES.get(char, "")) if option and option in allowed]


def _date(text: str) -> date | None:
    found = DATE.search(text.translate(DIGITS_READ))
    if not found:
        return None
    try:
        return date(*(int(part) for part in found.groups()))
    except ValueError:
        return None  # misread into an impossible date


def _term(text: str) -> tuple[date | None, date | None, bool, float]:
    # From, until, whether it is 长期, and the confidence: "2015年03月12日 至 长期",
    # "自2015年03月12日至2035年03月11日", or only "至 2035年03月11日".
    start, until, end = text.partition("至")
    valid_from = _date(start)
    indefinite = bool(ENDLESS.search(end if until else start))
    valid_until = None if indefinite else _date(end)
    parts = (valid_from is not None) + (indefinite or valid_until is not None)
    return valid_from, valid_until, indefinite, (0.0, 0.6, 0.9)[parts]
