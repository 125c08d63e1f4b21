"""Every admin list, add and change page renders for a superuser and for an editor."""

import json
import re
from html import unescape

import pytest
from django.contrib import admin

from tests.admin_support import admin_url

pytestmark = pytest.mark.django_db

CONTENT_MODELS = [
    model
    for model in admin.site._registry
    if model._meta.app_label in {"networks", "actions"}
    and model.__name__ not in {"EditorProfile", "ImportRecord"}  # no content, no add page
]
# The busiest list (scheduled years, 82 rows with their actions and plans) stays flat.
MAX_QUERIES = 15


def ids(model):
    return model.__name__


@pytest.fixture(params=["superuser", "editor"])
def staff_client(request, client, seeded):
    client.force_login(request.getfixturevalue(request.param))
    return client


@pytest.mark.parametrize("model", CONTENT_MODELS, ids=ids)
def test_changelist_renders_with_few_queries(staff_client, model, django_assert_max_num_queries):
    opts = model._meta
    url = admin_url(f"{opts.app_label}_{opts.model_name}_changelist")
    with django_assert_max_num_queries(MAX_QUERIES):
        response = staff_client.get(url)
    assert response.status_code == 200
    count = model._default_manager.count()
    assert count > 0, "the seed has entries of every model"
    body = re.search(r"<tbody>(.*?)</tbody>", response.content.decode(), re.S).group(1)
    assert body.count("<tr") == min(count, 50)


@pytest.mark.parametrize("model", CONTENT_MODELS, ids=ids)
def test_add_page_renders(staff_client, model):
    opts = model._meta
    response = staff_client.get(admin_url(f"{opts.app_label}_{opts.model_name}_add"))
    assert response.status_code == 200
    assert b'name="_save"' in response.content


@pytest.mark.parametrize("model", CONTENT_MODELS, ids=ids)
def test_change_page_renders(staff_client, model, django_assert_max_num_queries):
    opts = model._meta
    obj = model._default_manager.order_by("pk").first()
    url = admin_url(f"{opts.app_label}_{opts.model_name}_change", obj.pk)
    with django_assert_max_num_queries(60):
        response = staff_client.get(url)
    assert response.status_code == 200
    assert b'name="_save"' in response.content


@pytest.mark.parametrize("model", CONTENT_MODELS, ids=ids)
def test_history_page_renders(staff_client, model):
    opts = model._meta
    obj = model._default_manager.order_by("pk").first()
    response = staff_client.get(admin_url(f"{opts.app_label}_{opts.model_name}_history", obj.pk))
    assert response.status_code == 200


def test_translated_fields_have_both_languages_and_slugs_are_prepopulated(staff_client):
    from networks.models import Network

    network = Network.objects.get(slug_ca="xmess")
    html = staff_client.get(admin_url("networks_network_change", network.pk)).content.decode()
    for field in ("name_ca", "name_en", "slug_ca", "slug_en", "summary_ca", "summary_en"):
        assert f'name="{field}"' in html
    # Each language's slug follows that language's name.
    data = re.search(r'data-prepopulated-fields="([^"]*)"', html).group(1)
    prepopulated = {item["name"]: item["dependency_list"] for item in json.loads(unescape(data))}
    assert prepopulated == {"slug_ca": ["name_ca"], "slug_en": ["name_en"]}


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)


@pytest.mark.parametrize(
    "name,with_object",
    [
        ("networks_network_change", True),
        ("networks_network_changelist", False),
        ("networks_network_history", True),
        ("networks_network_delete", True),
        ("networks_network_deleted", False),
        ("actions_action_change", True),
        ("actions_scheduledyear_changelist", False),
        ("index", False),
    ],
)
def test_admin_pages_have_no_inline_script_or_style(client, seeded, superuser, name, with_object):
    from actions.models import Action
    from networks.models import Network

    client.force_login(superuser)
    model = Action if name.startswith("actions_action") else Network
    args = [model.objects.order_by("pk").first().pk] if with_object else []
    response = client.get(admin_url(name, *args))
    assert response.status_code == 200
    html = response.content.decode()
    assert not INLINE_SCRIPT.search(html)
    assert "<style" not in html
    assert " style=" not in html
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    # Every script comes from our own host (no CDN).
    for src in re.findall(r'<script[^>]*\bsrc="([^"]+)"', html):
        assert src.startswith("/"), src


def test_jquery_ui_is_served_from_our_static_files(client, seeded, superuser):
    from networks.models import Network

    client.force_login(superuser)
    network = Network.objects.order_by("pk").first()
    html = client.get(admin_url("networks_network_change", network.pk)).content.decode()
    assert '/static/vendor/jquery-ui/jquery-ui.min.js"' in html
    assert "googleapis" not in html
    script = client.get("/static/vendor/jquery-ui/jquery-ui.min.js")
    assert script.status_code == 200
    head = b"".join(script.streaming_content)[:200] if script.streaming else script.content[:200]
    version = re.search(rb"jQuery UI - v(\d+)\.(\d+)\.(\d+)", head)
    assert version and tuple(map(int, version.groups())) >= (1, 14, 0)


def test_admin_speaks_the_editors_language(client, seeded, superuser):
    client.force_login(superuser)
    catalan = client.get(admin_url("networks_network_changelist", lang="ca")).content.decode()
    english = client.get(admin_url("networks_network_changelist", lang="en")).content.decode()
    assert '<html lang="ca"' in catalan and "Afegir xarxa" in catalan
    assert '<html lang="en"' in english and "Add network" in english
