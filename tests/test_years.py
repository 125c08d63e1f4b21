"""A role's or a funding's years, as the members lists and the funding tables write them
(``{% years %}`` and ``{% member_roles %}``, networks/templatetags/xmess.py)."""

import pytest
from django.template import Context, Template
from django.utils import translation

from networks.models import Membership


def render(source, **context):
    return Template("{% load xmess %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("language", "start", "end", "expected"),
    [
        ("ca", 2015, 2019, "2015–2019"),
        ("ca", 2017, 2017, "2017"),
        ("ca", 2015, None, "des del 2015"),
        ("ca", None, 2019, "fins al 2019"),
        ("ca", None, None, '<span class="muted">dates desconegudes</span>'),
        ("en", 2015, None, "since 2015"),
        ("en", None, 2019, "until 2019"),
        ("en", None, None, '<span class="muted">dates not known</span>'),
    ],
)
def test_years_say_the_period_or_that_it_is_not_known(language, start, end, expected):
    with translation.override(language):
        assert render("{% years start end %}", start=start, end=end) == expected


def test_member_roles_list_each_role_with_its_years_and_its_note_escaped():
    roles = [
        Membership(role=Membership.Role.MEMBER, start_year=2017),
        Membership(
            role=Membership.Role.PROMOTING_GROUP,
            start_year=2015,
            end_year=2017,
            note="<b>Procés</b> de constitució",
        ),
    ]
    with translation.override("en"):
        html = render("{% member_roles roles %}", roles=roles)
    assert html == (
        '<ul class="role-list"><li>Member: since 2017</li>'
        '<li>Promoting group: 2015–2017 <span class="muted">'
        "(&lt;b&gt;Procés&lt;/b&gt; de constitució)</span></li></ul>"
    )
