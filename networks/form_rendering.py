"""The site's form renderer (``FORM_RENDERER``): Django's, with drop-downs and inputs written
in Python.

Django renders each ``<option>`` of a ``<select>`` through two included templates; the
comarca filter (43 options) took 7 ms to render, and a list's filter form about 15 ms, on
every list page a visitor with a session (or a query nobody asked for before) gets. Here the
same templates' output is written directly: ``select.html`` with its ``select_option.html``
options and their ``attrs.html``, byte for byte (tests/test_form_rendering.py compares the
two on the site's forms and the admin's). A widget with another option template falls back
to the templates. Inputs (text, search, number, checkbox, hidden…) are written the same way:
each went through ``input.html`` and its ``attrs.html`` (0.06–0.08 ms apiece); a list's filter
form has two or three, an admin change form dozens.
"""

from django.forms.renderers import DjangoTemplates
from django.template.base import render_value_in_context
from django.template.context import Context

SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"
# Django's templates that are nothing but ``{% include "django/forms/widgets/input.html" %}``.
INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{kind}.html"
    for kind in [
        "checkbox",
        "color",
        "date",
        "datetime",
        "email",
        "file",
        "hidden",
        "number",
        "password",
        "search",
        "tel",
        "text",
        "time",
        "url",
    ]
)


class FormRenderer(DjangoTemplates):
    # This renderer's engine looks in Django's form templates first (DIRS), so the select's
    # and the inputs' templates are always Django's own, which render_select and
    # render_input write.
    def render(self, template_name, context, request=None):
        if template_name == SELECT_TEMPLATE:
            html = render_select(context["widget"])
            if html is not None:
                return html
        elif template_name in INPUT_TEMPLATES:
            return render_input(context["widget"])
        return super().render(template_name, context, request)


def render_input(widget):
    """``input.html`` rendered for ``widget`` (a widget's context)."""
    context = Context(autoescape=True)
    value = widget["value"]
    shown = "" if value is None else f' value="{_value(_stringformat(value), context)}"'
    return (
        f'<input type="{_value(widget["type"], context)}" name="{_value(widget["name"], context)}"'
        f"{shown}{_attrs(widget['attrs'], context)}>"
    )


def render_select(widget):
    """``select.html`` rendered for ``widget`` (a widget's context), or None when one of its
    options has another template."""
    context = Context(autoescape=True)
    parts = [f'<select name="{_value(widget["name"], context)}"{_attrs(widget["attrs"], context)}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_value(group_name, context)}">')
        for option in group_choices:
            if option["template_name"] != OPTION_TEMPLATE:
                return None
            # select_option.html ends with a newline, which its include keeps.
            parts.append(
                f'\n  <option value="{_value(_stringformat(option["value"]), context)}"'
                f"{_attrs(option['attrs'], context)}>{_value(option['label'], context)}"
                "</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    # The renderer strips what a template renders.
    return "".join(parts).strip()


def _value(value, context):
    """``{{ value }}``: localized, made a string and escaped, as a template does."""
    return render_value_in_context(value, context)


def _stringformat(value):
    """``|stringformat:'s'``. A safe string comes back as itself, still safe, as the
    filter (``is_safe``) keeps it."""
    return "%s" % (str(value) if isinstance(value, tuple) else value)


def _attrs(attrs, context):
    """attrs.html: `` name="value"``, `` name`` for True, nothing for False."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {_value(name, context)}")
        else:
            parts.append(f' {_value(name, context)}="{_value(_stringformat(value), context)}"')
    return "".join(parts)
