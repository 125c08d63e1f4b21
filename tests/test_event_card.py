"""An event's card, as the lists and detail pages show it (``{% event_card %}``,
networks/templatetags/xmess.py)."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from tests.factories import make_event, make_municipality

pytestmark = pytest.mark.django_db


def render(source, **context):
    return Template("{% load xmess %}" + source).render(Context(context))


def test_a_card_gives_the_dates_the_title_linked_and_the_place_in_the_page_language():
    town = make_municipality("Amposta")
    event = make_event(
        "Fira <b>d'economia</b> & social",
        "Social <b>economy</b> fair",
        start_date=datetime.date(2025, 10, 22),
        end_date=datetime.date(2025, 10, 23),
        place="Centre Cívic",
        municipality=town,
    )
    with translation.override("ca"):
        html = render("{% event_card event %}", event=event)
    assert html == (
        '<article class="card card--event">\n'
        '  <p class="card__date"><time datetime="2025-10-22">'
        "22–23 d&#x27;octubre de 2025</time></p>\n"
        f'  <h3 class="card__title"><a href="{event.get_absolute_url()}">'
        "Fira &lt;b&gt;d&#x27;economia&lt;/b&gt; &amp; social</a></h3>\n"
        '  <p class="card__meta">Centre Cívic, Amposta</p>\n'
        "</article>"
    )
    with translation.override("en"):
        html = render("{% event_card event level=4 %}", event=event)
        url = event.get_absolute_url()
    assert url.startswith("/en/")
    assert '<time datetime="2025-10-22">22–23 October 2025</time>' in html
    assert '<h4 class="card__title">' in html and "</a></h4>" in html
    assert f'<a href="{url}">Social &lt;b&gt;economy&lt;/b&gt; fair</a>' in html


def test_a_card_says_nothing_of_a_place_the_sources_do_not_give():
    event = make_event("Jornada", start_date=datetime.date(2024, 3, 5))
    with translation.override("ca"):
        html = render("{% event_card event %}", event=event)
    assert "card__meta" not in html
    assert html.endswith("</h3>\n  \n</article>")
