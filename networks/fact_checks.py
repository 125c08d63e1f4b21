"""Checks that seed content says no more than its sources (run by ``seed`` and the tests).

A membership's years are facts a reader takes at their word, so:

- "dates not known" beside a note that gives years ("Grup promotor: dates desconegudes
  (… (2015-2017))") contradicts itself: either the years are known and go in the year
  fields, or the note must not give them;
- a year in the year fields needs a ``source`` that gives it. An open-ended role is shown as
  "since 2017", which claims the role began that year and still holds: its source must say
  the role began then ("joined … 2024", "since 2016", "constituted … 2017"). That a body
  was on the first executive commission in 2017 supports "2017", not "since 2017".
"""

import re

from django.conf import settings

YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
# Words that, shortly before a year, say something began then (English and Catalan).
_START_WORDS = (
    r"since|from|joined|join|began|begun|started|founded|founding|constituted|created|"
    r"des de|des del|a partir de|es va incorporar|s'hi va incorporar|es va constituir|"
    r"es va crear|fundador|fundadora"
)


def _starts_in(text, year):
    """True when ``text`` says something began in ``year`` (a start word shortly before)."""
    pattern = rf"\b(?:{_START_WORDS})\b[^.;]{{0,80}}?\b{year}\b"
    return re.search(pattern, text or "", flags=re.IGNORECASE) is not None


def membership_problems(membership):
    """What is wrong with a membership's dates against its notes and source ([] if nothing)."""
    problems = []
    start, end = membership.start_year, membership.end_year
    notes = [getattr(membership, f"note_{code}", "") or "" for code, _name in settings.LANGUAGES]
    source = membership.source or ""
    if start is None and end is None:
        for note in notes:
            if YEAR.search(note):
                problems.append(
                    f"its dates are unknown but its note gives a year ({note!r}): put the "
                    "years in the year fields, or take them out of the note"
                )
                break
        return problems
    for year in (start, end):
        if year is not None and str(year) not in YEAR.findall(source):
            problems.append(f"no source note gives the year {year} (source: {source!r})")
    if start is not None and end is None and not _starts_in(source, start):
        problems.append(
            f"it says 'since {start}' but its source does not say the role began in {start} "
            f"(source: {source!r}); give an end year or a source that says so"
        )
    return problems


CHECKS = {"networks.membership": membership_problems}


def fact_problems(obj):
    """Problems of one object, for the models that have a check."""
    check = CHECKS.get(obj._meta.label_lower)
    return check(obj) if check else []
