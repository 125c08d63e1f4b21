"""The site's form renderer writes drop-downs and inputs as Django's templates do, byte for
byte.

A difference would show on every filter form and admin page: an option not selected any
more, a label unescaped, a group lost. Each form is rendered whole with Django's own
renderer and with the site's, and the two must be equal.
"""

import django_filters
import pytest
from django import forms
from django.contrib import admin
from django.db.models import Count
from django.forms.renderers import DjangoTemplates
from django.test import RequestFactory
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from actions import filters as action_filters
from actions.models import Plan
from networks import filters as network_filters
from networks import form_rendering
from networks.form_rendering import FormRenderer

STOCK = DjangoTemplates()


@pytest.fixture
def fast_selects(monkeypatch):
    """The site's renderer, counting the drop-downs it wrote itself."""
    written = []
    render_select = form_rendering.render_select

    def counting(widget):
        html = render_select(widget)
        written.append(html is not None)
        return html

    monkeypatch.setattr(form_rendering, "render_select", counting)
    return FormRenderer(), written


@pytest.fixture
def fast_inputs(monkeypatch):
    """The site's renderer, counting the inputs it wrote itself."""
    written = []
    render_input = form_rendering.render_input

    def counting(widget):
        written.append(widget["template_name"])
        return render_input(widget)

    monkeypatch.setattr(form_rendering, "render_input", counting)
    return FormRenderer(), written


def assert_same_html(form, renderer):
    form.renderer = STOCK
    expected = str(form)
    form.renderer = renderer
    assert str(form) == expected
    return expected


class Awkward(forms.Form):
    plain = forms.ChoiceField(choices=[("", "---"), ("a&b", 'A <b> & "quoted"'), (3, 3)])
    grouped = forms.ChoiceField(
        choices=[
            ("", "Any"),
            ("Comarques <&>", [("osona", "Osona"), ("bages", gettext_lazy("Bages"))]),
            ("lone", "Lone"),
        ]
    )
    several = forms.MultipleChoiceField(choices=[("x", "X"), ("y", "Y"), ("z", "Z")])
    safe = forms.ChoiceField(choices=[(mark_safe("<i>v</i>"), mark_safe("<i>label</i>"))])
    disabled = forms.ChoiceField(choices=[("a", "A")], disabled=True, required=False)
    attributes = forms.ChoiceField(
        choices=[("a", "A")],
        widget=forms.Select(attrs={"class": 'wide "x"', "data-on": True, "data-off": False}),
    )
    yes_no = forms.NullBooleanField()


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"plain": "a&b", "grouped": "bages", "several": ["x", "z"], "yes_no": "true"},
        {"plain": "3", "grouped": "lone", "several": ["nope"], "yes_no": "false"},
        {"plain": '<script>"', "grouped": "", "safe": "<i>v</i>"},
    ],
)
def test_awkward_choices_render_as_django_renders_them(fast_selects, data):
    renderer, written = fast_selects
    html = assert_same_html(Awkward(data or None), renderer)
    assert "<optgroup" in html and "selected" in html or not data
    assert written.count(True) == 7


def test_the_inputs_written_in_python_are_django_s_inputs_and_only_those():
    """Each template render_input stands for is nothing but Django's input.html, so a Django
    release that changed one would fail here rather than on a page."""
    for name in form_rendering.INPUT_TEMPLATES:
        source = STOCK.get_template(name).template.source.strip()
        assert source == '{% include "django/forms/widgets/input.html" %}', name


class AwkwardInputs(forms.Form):
    text = forms.CharField(required=False)
    search = forms.CharField(
        widget=forms.TextInput(attrs={"type": "search", "placeholder": 'a "b" <c>'})
    )
    number = forms.IntegerField(required=False)
    decimal = forms.DecimalField(required=False, widget=forms.NumberInput(attrs={"step": "any"}))
    tick = forms.BooleanField(required=False)
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    day = forms.DateField(required=False)
    email = forms.EmailField(required=False)
    url = forms.URLField(required=False)
    secret = forms.CharField(widget=forms.PasswordInput(render_value=True), required=False)
    flags = forms.CharField(
        required=False, widget=forms.TextInput(attrs={"data-on": True, "data-off": False})
    )
    upload = forms.FileField(required=False)
    safe = forms.CharField(required=False, initial=mark_safe("<i>kept</i>"))


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"text": "a&b", "search": '<script>"', "number": "0", "tick": "on", "day": "2024-02-29"},
        {"text": "  ", "number": "x", "decimal": "1.50", "hidden": "'quoted'", "day": "nope"},
        {"email": "a@b", "url": "http://x?a=1&b=2", "secret": "<&>", "flags": "0"},
    ],
)
def test_awkward_inputs_render_as_django_renders_them(fast_inputs, data):
    renderer, written = fast_inputs
    form = AwkwardInputs(data)
    form.is_valid()
    html = assert_same_html(form, renderer)
    assert html.count("<input") == 13
    # Every input but the file's (clearable_file_input.html, left to its template).
    assert len(written) == 12
    assert {name.rsplit("/", 1)[1] for name in written} == {
        "text.html",
        "number.html",
        "checkbox.html",
        "hidden.html",
        "date.html",
        "email.html",
        "url.html",
        "password.html",
    }


def filtersets():
    for module in (network_filters, action_filters):
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, django_filters.FilterSet)
                and value.__module__ == module.__name__
                and value._meta.model is not None
            ):
                yield value


def make(filterset, data):
    if filterset is action_filters.TimelineFilter:  # the timeline's choices are its plan's
        plan = Plan.objects.annotate(n=Count("lines")).order_by("-n").first()
        return filterset(data, plan=plan, lines=plan.lines.all())
    return filterset(data, queryset=filterset._meta.model.objects.all())


@pytest.mark.django_db
@pytest.mark.parametrize("filterset", list(filtersets()), ids=lambda f: f.__name__)
def test_filter_forms_render_as_django_renders_them(seeded, fast_selects, fast_inputs, filterset):
    renderer, written = fast_selects
    _renderer, inputs = fast_inputs
    empty = make(filterset, {})
    picked, bogus = {}, {}
    for name, field in empty.form.fields.items():
        bogus[name] = '<b>"&'
        choices = [value for value, _label in getattr(field, "choices", []) if value != ""]
        if choices:
            picked[name] = str(choices[-1])
    for data in ({}, picked, bogus):
        form = make(filterset, data).form
        form.is_valid()
        assert_same_html(form, renderer)
    assert all(written)
    assert bool(written) == bool(picked)
    fields = empty.form.fields.values()
    assert bool(inputs) == any(isinstance(field.widget, forms.widgets.Input) for field in fields)


@pytest.mark.django_db
def test_admin_forms_render_as_django_renders_them(seeded, superuser, fast_selects):
    renderer, written = fast_selects
    request = RequestFactory().get("/")
    request.user = superuser
    for model, model_admin in admin.site._registry.items():
        if not model_admin.has_add_permission(request):
            continue
        assert_same_html(model_admin.get_form(request)(), renderer)
        instance = model.objects.order_by("pk").first()
        if instance is not None:
            form = model_admin.get_form(request, instance)(instance=instance)
            assert_same_html(form, renderer)
    assert written and all(written)
