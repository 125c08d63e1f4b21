"""A choice field's label (``get_kind_display()`` and the like) is read from a table translated
once per language (networks/models/common.py: ChoiceLabels): it must say what Django's own
says, in the language of the page, whatever language asked first."""

from django.apps import apps
from django.db import models
from django.utils import translation

from networks.models import ChoiceLabels, Network, choice_labels


def choice_fields():
    for model in apps.get_models():
        if issubclass(model, ChoiceLabels):
            for field in model._meta.fields:
                if field.choices:
                    yield model, field


def test_every_model_with_choices_reads_its_labels_from_the_table():
    """A model with a choice field that left the mixin out would quietly keep the slow way;
    one that has it gives Django's labels for every value, in each language in turn."""
    with_choices = {
        model
        for model in apps.get_models()
        if model._meta.app_label in ("networks", "actions")
        and not model.__name__.startswith("Historical")
        and any(field.choices for field in model._meta.fields)
    }
    assert with_choices == {model for model, _field in choice_fields()}
    for model, field in choice_fields():
        for language in ("ca", "en", "ca"):
            with translation.override(language):
                for value, _label in field.flatchoices:
                    entry = model(**{field.attname: value})
                    assert getattr(entry, f"get_{field.name}_display")() == (
                        models.Model._get_FIELD_display(entry, field)
                    )


def test_a_label_follows_the_language_of_the_page():
    network = Network(kind=Network.Kind.NETWORK, scope=Network.Scope.LOCAL)
    with translation.override("en"):
        assert network.get_kind_display() == "network or movement"
    with translation.override("ca"):
        assert network.get_kind_display() == "xarxa o moviment"
    with translation.override("en"):
        assert network.get_kind_display() == "network or movement"


def test_a_value_outside_the_choices_is_given_back_as_it_is():
    assert Network(kind="").get_kind_display() == ""
    assert Network(kind="not-a-kind").get_kind_display() == "not-a-kind"


def test_a_table_is_in_the_language_asked_for_whatever_language_is_active():
    """The API writes every language's label while the request's language is active."""
    choice_labels.cache_clear()
    kind = Network._meta.get_field("kind")
    with translation.override("ca"):
        assert choice_labels(kind, "en")["network"] == "network or movement"
        assert choice_labels(kind, "ca")["network"] == "xarxa o moviment"
