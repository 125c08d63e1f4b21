"""Municipal editors: a staff account with an ``EditorProfile`` sees and changes only the
entries of its own municipality.

``MunicipalScopeMixin`` limits them by queryset *and* by object permission, so a direct URL
to another municipality's entry is refused (403) rather than shown or hidden.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import BooleanField, Value

# Marks the rows read through a municipal editor's own queryset: they are in scope, so
# asking again is a query per row (Django checks each row of a list's editable form, to
# show it and again to save it).
IN_SCOPE = "xmess_in_municipal_scope"


def editor_municipality(user):
    """The municipality a municipal editor is limited to; None for everyone else.

    A superuser is never limited, even with a profile. The profile (or its absence) is
    cached on the user object by Django's one-to-one descriptor.
    """
    if not getattr(user, "is_authenticated", False) or user.is_superuser:
        return None
    profile = getattr(user, "editor_profile", None)
    return profile.municipality if profile is not None else None


class MunicipalScopeMixin:
    """Limit a municipal editor to their municipality's entries.

    Subclasses say which rows belong to a municipality (``municipal_filter``, on querysets;
    ``in_municipal_scope``, on one object) and which fields a municipal editor may not
    touch (``municipal_readonly_fields``). ``municipal_forced_fields`` are set to the
    editor's municipality on new entries.
    """

    municipal_readonly_fields = ()
    municipal_forced_fields = ()

    def municipal_filter(self, queryset, municipality):
        raise NotImplementedError

    def in_municipal_scope(self, obj, municipality):
        raise NotImplementedError

    def _allowed(self, request, obj):
        municipality = editor_municipality(request.user)
        if obj is None or municipality is None or getattr(obj, IN_SCOPE, False):
            return True
        return self.in_municipal_scope(obj, municipality)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        municipality = editor_municipality(request.user)
        if municipality is None:
            return queryset
        scoped = self.municipal_filter(queryset, municipality)
        return scoped.annotate(**{IN_SCOPE: Value(True, output_field=BooleanField())})

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None and editor_municipality(request.user) is not None:
            # Another municipality's entry: refuse it plainly (and get it logged as a
            # permission refusal) rather than pretend that it does not exist.
            try:
                exists = self.model._default_manager.filter(pk=object_id).exists()
            except (ValueError, ValidationError):
                exists = False
            if exists:
                raise PermissionDenied
        return obj

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._allowed(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._allowed(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._allowed(request, obj)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if editor_municipality(request.user) is not None:
            fields += [f for f in self.municipal_readonly_fields if f not in fields]
        return fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        municipality = editor_municipality(request.user)
        if municipality is None or not self.municipal_forced_fields:
            return form
        forced = self.municipal_forced_fields

        class MunicipalForm(form):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                if self.instance.pk is None:
                    for name in forced:
                        setattr(self.instance, name, municipality)

            def validate_constraints(self):
                # The forced fields are not on the form, so Django would skip the
                # constraints that use them (a duplicate membership would then reach the
                # database). Check them anyway.
                exclude = self._get_validation_exclusions() - set(forced)
                try:
                    self.instance.validate_constraints(exclude=exclude)
                except ValidationError as error:
                    self._update_errors(error)

        return MunicipalForm
