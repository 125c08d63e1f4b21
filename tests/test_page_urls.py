"""The page URLs the API and the downloads give every row, in each language: worked out for a
whole page of rows at once (``attach_page_urls``), they are what each row's own
``get_absolute_url()`` gives, made absolute as ``request.build_absolute_uri`` makes it."""

import json

import pytest
from django.test import RequestFactory
from django.utils import translation

from actions.models import Action, Plan
from networks.models import Event, Funder, Municipality, Network, Organisation, Theme
from networks.serializers import (
    MunicipalitySerializer,
    OrganisationSerializer,
    attach_page_urls,
)
from networks.serializers.fields import _absolute


@pytest.mark.parametrize(
    ("endpoint", "model"),
    [
        ("organisations", Organisation),
        ("networks", Network),
        ("events", Event),
        ("funders", Funder),
        ("themes", Theme),
        ("municipalities", Municipality),
        ("plans", Plan),
        ("actions", Action),
    ],
)
def test_every_row_of_a_list_links_to_its_own_page_in_each_language(
    seeded, client, endpoint, model
):
    rows = client.get(f"/api/v1/{endpoint}/?page_size=100").json()["results"]
    assert len(rows) > 1
    for row in rows:
        entry = model.objects.get(pk=row["id"])
        for code in ("ca", "en"):
            with translation.override(code):
                assert row["url"][code] == "http://testserver" + entry.get_absolute_url()
    assert rows[0]["url"]["ca"] != rows[1]["url"]["ca"]


def test_a_download_links_each_row_to_its_page_as_the_api_does(seeded, client):
    listed = client.get("/api/v1/organisations/?page_size=100").json()["results"]
    response = client.get("/en/organisations/download.json")
    downloaded = json.loads(b"".join(response.streaming_content))
    by_id = {row["id"]: row["url"] for row in downloaded["results"]}
    assert {row["id"]: row["url"] for row in listed} == by_id


def test_the_urls_attached_to_rows_are_the_ones_worked_out_row_by_row(seeded):
    request = RequestFactory().get("/api/v1/organisations/", HTTP_HOST="testserver")
    rows = list(Organisation.objects.order_by("pk")[:5])
    one_by_one = [OrganisationSerializer(row, context={"request": request}).data for row in rows]
    attach_page_urls(rows, OrganisationSerializer, request)
    assert [row.page_url_map for row in rows] == [data["url"] for data in one_by_one]
    assert len({data["url"]["en"] for data in one_by_one}) == len(rows)
    attached = OrganisationSerializer(rows, many=True, context={"request": request}).data
    assert attached == one_by_one


def test_the_nested_rows_of_a_page_get_the_urls_worked_out_row_by_row(
    seeded, django_assert_num_queries
):
    """A municipality's comarca links to its page in each language, the same whether its
    URLs were attached with the page's rows or worked out for it alone; a relation not read
    with the rows is not read to attach them."""
    request = RequestFactory().get("/api/v1/municipalities/", HTTP_HOST="testserver")
    municipalities = Municipality.objects.select_related("comarca").order_by("name")
    rows = list(municipalities.filter(comarca__isnull=False)[:60])
    assert len({row.comarca_id for row in rows}) < len(rows)  # comarques shared by rows
    one_by_one = [MunicipalitySerializer(row, context={"request": request}).data for row in rows]
    attached_rows = list(municipalities.filter(pk__in=[row.pk for row in rows]))
    with django_assert_num_queries(0):
        attach_page_urls(attached_rows, MunicipalitySerializer, request)
    assert all(hasattr(row.comarca, "page_url_map") for row in attached_rows)
    attached = MunicipalitySerializer(attached_rows, many=True, context={"request": request})
    assert attached.data == one_by_one
    comarca_urls = {data["comarca"]["url"]["ca"] for data in one_by_one}
    assert len(comarca_urls) == len({row.comarca_id for row in rows})

    organisations = list(Organisation.objects.filter(municipality__isnull=False)[:5])
    with django_assert_num_queries(0):  # their municipalities were not read with them
        attach_page_urls(organisations, OrganisationSerializer, request)
    assert all(hasattr(row, "page_url_map") for row in organisations)


@pytest.mark.parametrize(
    "path", ["/ca/xarxes/x/", "/ca/pla/ç à/", "relative/x/", "//elsewhere/x/", "/a/../b/"]
)
def test_a_path_is_made_absolute_as_django_makes_it(path):
    request = RequestFactory().get("/api/v1/networks/", HTTP_HOST="testserver")
    root = request.build_absolute_uri("/")[:-1]
    assert _absolute(request, root, path) == request.build_absolute_uri(path)
    assert _absolute(None, root, path) == path
