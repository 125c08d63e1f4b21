"""Small objects for tests, built with plain functions.

Each ``make_*`` fills both languages and gives every slug a unique suffix, so a test can
create as many as it needs beside the seed content. Pass a name (Catalan; English defaults
to the same) and any model field as a keyword to override what the test cares about.
"""

import itertools
from decimal import Decimal

from django.contrib.auth.models import Group, User
from django.utils.text import slugify

from actions.models import Action, Axis, Line, Plan, ScheduledYear
from networks.models import (
    Comarca,
    EditorProfile,
    Event,
    Funder,
    Funding,
    Membership,
    Municipality,
    Network,
    Organisation,
    Theme,
)

PASSWORD = "a-long-test-password-42"

_serial = itertools.count(1)


def _names(field, name, name_en, default, fields):
    """Both languages of a translated name and a unique slug in each, unless given."""
    n = next(_serial)
    name = name or f"{default} {n}"
    slug = slugify(name)[:180] or "entrada"
    return {
        f"{field}_ca": name,
        f"{field}_en": name_en or name,
        "slug_ca": f"{slug}-{n}",
        "slug_en": f"{slug}-{n}-en",
        **fields,
    }


def make_theme(name=None, name_en=None, **fields):
    return Theme.objects.create(**_names("name", name, name_en, "Tema", fields))


def make_comarca(**fields):
    """The test comarca (code 99, which no real comarca has), or a new one with ``fields``."""
    if fields:
        return Comarca.objects.create(**_names("name", None, None, "Comarca", fields))
    return Comarca.objects.get_or_create(
        code="99",
        defaults={
            "name_ca": "Comarca de prova",
            "name_en": "Test comarca",
            "slug_ca": "comarca-de-prova",
            "slug_en": "test-comarca",
        },
    )[0]


def make_municipality(name=None, **fields):
    n = next(_serial)
    name = name or f"Poble {n}"
    # A Catalan province prefix and x8xx, which no real municipality's code has.
    code = f"{('08', '17', '25', '43')[n // 100 % 4]}8{n % 100:02d}"
    if "comarca" not in fields:
        fields["comarca"] = make_comarca()
    return Municipality.objects.create(
        **{
            "ine_code": code,
            "idescat_code": f"{code}0",
            "name": name,
            "slug": f"{slugify(name)}-{n}",
            "latitude": Decimal("41.5"),
            "longitude": Decimal("2.0"),
            **fields,
        }
    )


def make_organisation(name=None, name_en=None, **fields):
    return Organisation.objects.create(**_names("name", name, name_en, "Cooperativa", fields))


def make_organisations(number, **fields):
    """``number`` organisations in one query (bulk_create: no signals, no history), for the
    tests of pages at the directory's real size."""
    return Organisation.objects.bulk_create(
        Organisation(**_names("name", None, None, "Entitat", fields)) for _ in range(number)
    )


def make_network(name=None, name_en=None, **fields):
    return Network.objects.create(**_names("name", name, name_en, "Xarxa", fields))


def make_membership(network=None, member=None, **fields):
    """``member`` is an organisation or a municipality (an organisation when omitted)."""
    network = network or make_network()
    member = member or make_organisation()
    key = "municipality" if isinstance(member, Municipality) else "organisation"
    return Membership.objects.create(network=network, **{key: member}, **fields)


def make_funder(name=None, name_en=None, **fields):
    fields.setdefault("kind", Funder.Kind.FOUNDATION)
    return Funder.objects.create(**_names("name", name, name_en, "Fons", fields))


def make_funding(funder=None, **fields):
    return Funding.objects.create(funder=funder or make_funder(), **fields)


def make_event(title=None, title_en=None, **fields):
    fields.setdefault("start_date", "2025-05-06")
    return Event.objects.create(**_names("title", title, title_en, "Trobada", fields))


def make_plan(name=None, name_en=None, **fields):
    if fields.get("owner") is None:
        fields["owner"] = make_organisation("Ajuntament", "Council")
    fields.setdefault("start_year", 2020)
    fields.setdefault("end_year", 2023)
    return Plan.objects.create(**_names("name", name, name_en, "Pla", fields))


def make_axis(plan=None, name=None, **fields):
    name = name or f"Eix {next(_serial)}"
    fields.setdefault("name_en", name)
    return Axis.objects.create(plan=plan or make_plan(), name_ca=name, **fields)


def make_line(plan=None, number=None, title=None, **fields):
    plan = plan or make_plan()
    if number is None:
        number = (plan.lines.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    title = title or f"Línia {number}"
    fields.setdefault("title_en", f"Line {number}")
    return Line.objects.create(plan=plan, number=number, title_ca=title, **fields)


def make_action(line=None, position=1, title=None, **fields):
    line = line or make_line()
    title = title or f"Acció {line.number}.{position}"
    fields.setdefault("title_en", f"Action {line.number}.{position}")
    return Action.objects.create(line=line, position=position, title_ca=title, **fields)


def make_year(action=None, year=None, **fields):
    """A ``ScheduledYear``: the action runs that year (``status`` defaults to planned)."""
    action = action or make_action()
    return ScheduledYear.objects.create(
        action=action, year=year or action.line.plan.start_year, **fields
    )


def make_staff(username, group=None, municipality=None, **extra):
    """A staff account with the test password, in ``group``; a municipal editor of
    ``municipality`` when one is given."""
    user = User.objects.create_user(
        username, f"{username}@example.org", PASSWORD, is_staff=True, **extra
    )
    if group:
        user.groups.add(Group.objects.get(name=group))
    if municipality:
        EditorProfile.objects.create(user=user, municipality=municipality)
    return user
