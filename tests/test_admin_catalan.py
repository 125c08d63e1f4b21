"""The admin reads right in Catalan: no English left on the pages staff use, real changes
only in the history, readable link rows, gender-neutral messages."""

import re
from html.parser import HTMLParser

import pytest
from django.utils import translation
from django.utils.translation import trans_real

from networks.models import Event, Network, Organisation
from tests.admin_support import admin_url
from tests.factories import make_membership, make_network, make_staff
from tests.form_scraper import read_form

pytestmark = pytest.mark.django_db

# Words that are the same in both languages, or codes, never a sign of English.
SAME_IN_BOTH = {"ca", "en", "ID", "URL", "CSV", "ESS", "Web", "web", "Total", "OK"}


class _Text(HTMLParser):
    SKIP = {"script", "style", "textarea", "svg", "option"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.skipping = 0
        self.texts = []

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
        attrs = dict(attrs)
        for name in ("title", "aria-label", "placeholder", "alt"):
            if attrs.get(name):
                self.texts.append(attrs[name])
        if tag == "input" and attrs.get("type") in {"submit", "button"} and attrs.get("value"):
            self.texts.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping and data.strip():
            self.texts.append(data)


def visible_texts(html):
    parser = _Text()
    parser.feed(html)
    # Option labels count too (they are read out), apart from entries' names.
    options = re.findall(r"<option[^>]*>([^<]+)</option>", html)
    return [" ".join(text.split()) for text in [*parser.texts, *options]]


def english_msgids():
    """English strings the admin could show, each with a Catalan translation that differs:
    seeing one of them on a Catalan page means a string was left untranslated."""
    catalan = trans_real.translation("ca")._catalog
    french = trans_real.translation("fr")._catalog  # holds the packages' msgids
    english = set()
    for msgid in {*catalan.keys(), *french.keys()}:
        if not isinstance(msgid, str) or "%" in msgid or "{" in msgid or len(msgid) < 4:
            continue
        if msgid in SAME_IN_BOTH or catalan.get(msgid) == msgid:
            continue
        english.add(" ".join(msgid.split()).casefold())
    return english


def english_on(html):
    english = english_msgids()
    found = [text for text in visible_texts(html) if text.casefold().strip(" :") in english]
    known = [
        phrase
        for phrase in ("object (", "- Select an option -", "Choose a date", "El organització")
        if phrase in html
    ]
    return found + known


@pytest.fixture
def staff_client(client, seeded):
    client.force_login(make_staff("ana", is_superuser=True))
    return client


@pytest.fixture
def network(seeded):
    network = make_network(
        "Xarxa de prova",
        "Test network",
        slug_ca="xarxa-prova",
        slug_en="test-net",
        summary_ca="Resum",
        summary_en="Summary",
        description_ca="Descripció",
        description_en="Description",
    )
    make_membership(network, Organisation.objects.first())
    return network


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_a_history_row_lists_only_what_really_changed(staff_client, network):
    url = admin_url("networks_network_change", network.pk)
    form = read_form(get(staff_client, url), "network_form")
    form["description_en"] = "A new English description"
    assert staff_client.post(url, form).status_code == 302
    html = get(staff_client, admin_url("networks_network_history", network.pk))
    latest = html.split("<tbody>")[1].split("</tr>")[0]
    changed = re.findall(r"<strong>([^<]+):</strong>", latest)
    with translation.override("ca"):
        expected = str(Network._meta.get_field("description_en").verbose_name)
    assert changed == [expected[:1].upper() + expected[1:]]


def test_link_rows_read_as_what_they_link(seeded):
    event = Event.objects.filter(organisers__isnull=False).first()
    link = Event.organisers.through.objects.filter(event=event).first()
    assert str(link) == f"{event} — {link.organisation}"
    with translation.override("ca"):
        assert str(link._meta.verbose_name) == "enllaç entre esdeveniment i organització"


def test_the_catalan_admin_pages_have_no_english(staff_client, network):
    pages = {}
    change = admin_url("networks_network_change", network.pk)
    pages["change"] = get(staff_client, change)
    form = read_form(pages["change"], "network_form")
    form["summary_en"] = "Changed summary"
    response = staff_client.post(change, form, follow=True)
    pages["after save"] = response.content.decode()
    message = re.search(r'class="success">(.*?)</li>', pages["after save"], re.S).group(1)
    assert re.sub(r"<[^>]+>", "", message) == "S'han desat els canvis de «Xarxa de prova» (xarxa)."
    pages["history"] = get(staff_client, admin_url("networks_network_history", network.pk))
    record = network.history.earliest()
    pages["revert"] = get(
        staff_client,
        admin_url("networks_network_simple_history", network.pk, record.history_id),
    )
    event = Event.objects.filter(organisers__isnull=False).first()
    pages["delete"] = get(staff_client, admin_url("networks_event_delete", event.pk))
    pages["delete network"] = get(staff_client, admin_url("networks_network_delete", network.pk))
    response = staff_client.post(
        admin_url("networks_network_delete", network.pk),
        {"post": "yes", "confirm_cascade": "yes"},
        follow=True,
    )
    pages["after delete"] = response.content.decode()
    pages["deleted list"] = get(staff_client, admin_url("networks_network_deleted"))
    deletion = Network.history.filter(id=network.pk, history_type="-").latest()
    pages["recover"] = get(staff_client, admin_url("networks_network_restore", deletion.history_id))
    response = staff_client.post(
        admin_url("networks_network_restore", deletion.history_id),
        {"with_dependents": "yes"},
        follow=True,
    )
    pages["after recovery"] = response.content.decode()
    pages["history after recovery"] = get(
        staff_client, admin_url("networks_network_history", network.pk)
    )
    found = {name: english_on(html) for name, html in pages.items()}
    assert found == {name: [] for name in pages}


@pytest.mark.parametrize(
    "model_path",
    [
        "networks.Network",
        "networks.Organisation",
        "networks.Membership",
        "networks.Event",
        "networks.Funding",
        "networks.Municipality",
        "actions.Plan",
        "actions.Line",
        "actions.Action",
        "actions.ScheduledYear",
    ],
)
def test_every_change_list_change_form_and_history_is_in_catalan(staff_client, model_path):
    from django.apps import apps

    model = apps.get_model(model_path)
    obj = model.objects.order_by("pk").first()
    name = f"{model._meta.app_label}_{model._meta.model_name}"
    pages = {
        "list": get(staff_client, admin_url(f"{name}_changelist")),
        "add": get(staff_client, admin_url(f"{name}_add")),
        "change": get(staff_client, admin_url(f"{name}_change", obj.pk)),
        "history": get(staff_client, admin_url(f"{name}_history", obj.pk)),
        "delete": get(staff_client, admin_url(f"{name}_delete", obj.pk)),
    }
    found = {page: english_on(html) for page, html in pages.items()}
    assert found == {page: [] for page in pages}
