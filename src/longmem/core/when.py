"""Calendar dates named in a question ("what did Paola cook on 22.01.2024?"). Pure."""

from __future__ import annotations

import re
from datetime import date

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = r"(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(\d{4})"
# 22.01.2024 and 22/01/2024 are read day first, as most of the world writes them (3/14/2024,
# which cannot be, month first); an ISO date (2024-01-22) is unambiguous. A day without a year
# ("on 5 January") is not read.
_NUMERIC = re.compile(r"\b(\d{1,2})[./](\d{1,2})[./](\d{4})\b")
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_DAY_MONTH = re.compile(rf"\b(?:the\s+)?{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b", re.I)
_MONTH_DAY = re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.I)


def _date(year: str, month: int | str, day: str) -> date | None:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def dates_named(text: str) -> frozenset[date]:
    """Every full date (day, month and year) the text names."""
    found: list[date | None] = []
    # Day first; month first only where day first is no date (3/14/2024).
    found += [_date(y, m, d) or _date(y, d, m) for d, m, y in _NUMERIC.findall(text)]
    found += [_date(y, m, d) for y, m, d in _ISO.findall(text)]
    found += [_date(y, _MONTHS[m.lower()], d) for d, m, y in _DAY_MONTH.findall(text)]
    found += [_date(y, _MONTHS[m.lower()], d) for m, d, y in _MONTH_DAY.findall(text)]
    return frozenset(d for d in found if d is not None)


_BARE_YEAR = re.compile(r"(?:19|20)\d\d")


def is_year(word: str) -> bool:
    """A year ("2024"): it places a question in time, and people in a chat rarely say the
    year they are living in, so a user who never said it may still have said the answer."""
    return bool(_BARE_YEAR.fullmatch(word))


def without_dates(text: str) -> str:
    """The text with its dates taken out: "19.01.2024" names a day, and its pieces are no
    words that a memory could share (REALTALK: every answerable question that named a date
    lost a third of its word weight to them)."""
    for pattern in (_NUMERIC, _ISO, _DAY_MONTH, _MONTH_DAY):
        text = pattern.sub(" ", text)
    return text
