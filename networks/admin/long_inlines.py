"""An entry's change page stays a page: an inline that would hold more than its
``max_rows`` rows (a network's 25,000 memberships, a line's 250 actions) is left out, and
the page says how many rows there are and links to them in their own list, filtered to
this entry, and to adding one there.

At 100,000 organisations the biggest network's page took 175 s and 165 MB of HTML (a form
row, and a query for each autocomplete field, per membership): gunicorn cut it off, so the
network could not be edited at all.

The rest of the admin's answers to entries with many rows live here too: inline rows that
name their chosen entries without a query each (``NamedChoicesInlineMixin``) and the entry
they belong to without one either (``rows_know_their_entry``), and a list
filter that stops listing every network once there are thousands (``FewOrChosenFilter``),
which is where those links lead.
"""

from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.urls import reverse


class LongInlinesMixin:
    """For ``ModelAdmin``s; an inline opts in with ``max_rows``."""

    change_form_template = "admin/xmess/change_form.html"

    def get_inlines(self, request, obj):
        inlines = super().get_inlines(request, obj)
        if obj is None or obj.pk is None:
            return inlines
        return [inline for inline in inlines if not link_instead(request, obj, inline)]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk is not None:
            context["long_inlines"] = [
                link
                for (_inline, pk), link in getattr(request, "_xmess_long_inlines", {}).items()
                if pk == obj.pk and link
            ]
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_formsets_with_inlines(self, request, obj=None):
        for formset, inline in super().get_formsets_with_inlines(request, obj):
            yield rows_know_their_entry(formset), inline


def rows_know_their_entry(formset):
    """``formset`` whose rows hold the entry being edited as their parent. Django gives each
    row only the parent's id, so a row that names itself through its parent (an action is
    "1.3 …", its line's number and its own position; a year names its action) read the
    parent once per row: 50 queries on the page of a line of 50 actions."""

    class RowsKnowTheirEntry(formset):
        def _construct_form(self, i, **kwargs):
            form = super()._construct_form(i, **kwargs)
            parent = self.instance
            if parent.pk is not None and getattr(form.instance, self.fk.attname) == parent.pk:
                self.fk.set_cached_value(form.instance, parent)
            return form

    RowsKnowTheirEntry.__name__ = formset.__name__
    return RowsKnowTheirEntry


def link_instead(request, obj, inline):
    """(plural name, name, count, list URL, add URL) when ``inline`` has more than its
    ``max_rows`` rows for ``obj``, else None. Counted once per request: Django asks for the
    inlines several times while it builds or saves the page. A save keeps the inlines the
    form was shown with, whatever the count is by then: rows added or removed meanwhile by
    someone else must neither drop this editor's changes to the rows nor ask for rows the
    form never had."""
    limit = getattr(inline, "max_rows", None)
    if limit is None:
        return None
    found = request.__dict__.setdefault("_xmess_long_inlines", {})
    if (inline, obj.pk) not in found:
        fk = fk_to_parent(inline, type(obj))
        count = inline.model._default_manager.filter(**{fk.name: obj}).count()
        link = None
        if request.method == "POST":
            # Django's formset prefix for these rows: its management form is there if shown.
            prefix = fk.remote_field.get_accessor_name(model=False).replace("+", "")
            too_many = f"{prefix}-TOTAL_FORMS" not in request.POST
        else:
            too_many = count > limit
        if too_many:
            opts = inline.model._meta
            admin_name = f"admin:{opts.app_label}_{opts.model_name}"
            only_this = {f"{fk.name}__{fk.target_field.name}__exact": obj.pk}
            link = (
                opts.verbose_name_plural,
                opts.verbose_name,
                count,
                f"{reverse(admin_name + '_changelist')}?{urlencode(only_this)}",
                f"{reverse(admin_name + '_add')}?{urlencode({fk.name: obj.pk})}",
            )
        found[inline, obj.pk] = link
    return found[inline, obj.pk]


def fk_to_parent(inline, parent_model):
    """The inline model's foreign key to the entry it is shown on (its ``fk_name`` if set)."""
    if inline.fk_name:
        return inline.model._meta.get_field(inline.fk_name)
    return next(
        field
        for field in inline.model._meta.fields
        if field.many_to_one and issubclass(parent_model, field.related_model)
    )


class NamedChoiceAutocomplete(AutocompleteSelect):
    """An autocomplete field that names its chosen entry from ``known`` ({id: label}, set
    per row from the row's own, already read, related entry) instead of a query of its own:
    Django's widget asks the database once per row, 50 queries for a network of 50 members."""

    known = None

    def optgroups(self, name, value, attr=None):
        chosen = {str(v) for v in value if str(v) not in self.choices.field.empty_values}
        if not chosen or self.known is None or not chosen <= self.known.keys():
            return super().optgroups(name, value, attr)
        options = [] if self.is_required else [self.create_option(name, "", "", False, 0)]
        for pk in sorted(chosen):
            options.append(self.create_option(name, pk, self.known[pk], chosen, len(options)))
        return [(None, options, 0)]


class NamedChoicesInlineMixin:
    """For inlines: their autocomplete fields name each row's chosen entry from the row (the
    inline's queryset selects it) instead of a query per row and field."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = NamedChoiceAutocomplete(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        names = self.get_autocomplete_fields(request)

        class NamedChoicesFormSet(formset):
            def _construct_form(self, i, **kwargs):
                form = super()._construct_form(i, **kwargs)
                for name in names:
                    field = form.fields.get(name)
                    widget = getattr(getattr(field, "widget", None), "widget", None)
                    related = form.instance._state.fields_cache.get(name)
                    if isinstance(widget, NamedChoiceAutocomplete) and related is not None:
                        widget.known = {str(related.pk): field.label_from_instance(related)}
                return form

        return NamedChoicesFormSet


class FewOrChosenFilter(admin.RelatedOnlyFieldListFilter):
    """A list's filter by a related entry that lists the entries to choose from while they
    are few, and only the one chosen when they are thousands: the memberships' filter by
    network listed 2,000 networks on every page of the list (150 KB of its 199). The
    network's own page links to its memberships with the filter chosen."""

    max_choices = 50

    def field_choices(self, field, request, model_admin):
        chosen = [value for value in self.lookup_val or () if str(value).isdigit()]
        if chosen:
            return field.get_choices(include_blank=False, limit_choices_to={"pk__in": chosen})
        if field.related_model._default_manager.count() > self.max_choices:
            return []
        return super().field_choices(field, request, model_admin)

    def has_output(self):
        # Shown and applied whenever one is chosen: Django leaves out (and does not apply) a
        # filter with a single choice.
        return bool(self.lookup_val) or super().has_output()
