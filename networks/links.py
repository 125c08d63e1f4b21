"""Readable names for the link rows Django creates for many-to-many fields.

Django names them "Event_organisers object (7)", of kind "Event-organisation relationship"
(in English whatever the language), and the admin's delete confirmation lists them so.
Each app calls ``name_links`` for its own models when it is ready.
"""

from django.utils.functional import lazy
from django.utils.translation import gettext


def _kind(source, target, plural):
    names = {"source": source._meta.verbose_name, "target": target._meta.verbose_name}
    if plural:
        return gettext("links between %(source)s and %(target)s") % names
    return gettext("link between %(source)s and %(target)s") % names


lazy_kind = lazy(_kind, str)


def _link_str(source_name, target_name):
    def __str__(self):
        return f"{getattr(self, source_name)} — {getattr(self, target_name)}"

    return __str__


def name_links(app_config):
    for model in app_config.get_models():
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            if not through._meta.auto_created:
                continue
            source = through._meta.get_field(field.m2m_field_name())
            target = through._meta.get_field(field.m2m_reverse_field_name())
            through.__str__ = _link_str(source.name, target.name)
            through._meta.verbose_name = lazy_kind(model, field.related_model, False)
            through._meta.verbose_name_plural = lazy_kind(model, field.related_model, True)
