"""Load the directory's seed content from fixtures/, all or nothing.

Unlike a bare `loaddata`, every object is validated as the admin would validate it
(`full_clean`: field rules, cross-field rules, constraints), every translated field must be
filled in both languages or in neither, no membership may claim years its source does not
give (networks/fact_checks.py), and a fixture whose rows already exist is skipped, so
running it again never overwrites what council staff have edited since (`--force` does).
Any problem stops the whole load with the file, the object and the problem, and the database
is left exactly as it was.
"""

import json
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import translation
from modeltranslation.translator import NotRegistered, translator

from networks.fact_checks import fact_problems


def default_fixtures():
    """Each app's ``seed_fixtures``, in INSTALLED_APPS order (an app's rows may point at an
    earlier app's, never the other way round)."""
    return [
        name for config in apps.get_app_configs() for name in getattr(config, "seed_fixtures", ())
    ]


class FixtureProblem(Exception):
    pass


def fixture_path(name):
    path = Path(name)
    if path.suffix != ".json":
        path = path.with_suffix(".json")
    if path.is_file():
        return path
    for folder in settings.FIXTURE_DIRS:
        candidate = Path(folder) / path
        if candidate.is_file():
            return candidate
    raise CommandError(
        f"Fixture {name!r} not found in {', '.join(map(str, settings.FIXTURE_DIRS))}."
    )


def fixture_label(obj):
    return f"{obj._meta.label}(pk={obj.pk!r})"


def check_both_languages(obj):
    """A translated text filled in one language only would show a gap on the other side."""
    try:
        options = translator.get_options_for_model(type(obj))
    except NotRegistered:
        return
    codes = [code for code, _name in settings.LANGUAGES]
    for field_name in options.fields:
        values = {code: getattr(obj, f"{field_name}_{code}") for code in codes}
        filled = [code for code, value in values.items() if value not in (None, "")]
        if filled and len(filled) != len(codes):
            missing = ", ".join(code for code in codes if code not in filled)
            raise ValidationError({f"{field_name}_{missing}": "filled in one language only"})


class Command(BaseCommand):
    help = "Load the seed fixtures (validated, all or nothing, never overwriting edits)."

    def add_arguments(self, parser):
        parser.add_argument(
            "fixtures",
            nargs="*",
            help="Fixture names or paths; default: every app's seed_fixtures.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Reload fixtures whose rows already exist, overwriting those rows.",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, fixtures, force, database, verbosity, **options):
        paths = [fixture_path(name) for name in fixtures or default_fixtures()]
        loaded = {}
        models = set()
        # Operators read this command's output in English, validation messages included.
        try:
            with translation.override("en"), transaction.atomic(using=database):
                for path in paths:
                    loaded[path.name] = self.load_file(path, database, force, models)
                self.reset_sequences(database, models)
        except FixtureProblem as problem:
            raise CommandError(f"Nothing was loaded. {problem}") from None
        for name, count in loaded.items():
            if verbosity == 0:
                break
            if count is None:
                self.stdout.write(f"{name}: already loaded, skipped (use --force to reload).")
            else:
                self.stdout.write(self.style.SUCCESS(f"{name}: {count} objects loaded."))

    @staticmethod
    def reset_sequences(database, models):
        """Fixtures carry their primary keys; on PostgreSQL the id sequences must then move
        past them, or the next row staff add collides with a seeded one (as loaddata does)."""
        connection = connections[database]
        statements = connection.ops.sequence_reset_sql(no_style(), list(models))
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)

    def load_file(self, path, database, force, models):
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise FixtureProblem(f"{path.name}: cannot be read: not UTF-8 text ({exc})") from exc
        try:
            json.loads(text)
        except json.JSONDecodeError as exc:
            # Name the place, so whoever edited the file by hand can find the slip.
            raise FixtureProblem(
                f"{path.name}: cannot be read: invalid JSON at line {exc.lineno}, "
                f"column {exc.colno}: {exc.msg}"
            ) from exc
        try:
            objects = list(serializers.deserialize("json", text, using=database))
        except (serializers.base.DeserializationError, ValueError) as exc:
            raise FixtureProblem(f"{path.name}: cannot be read: {exc}") from exc
        if not objects:
            raise FixtureProblem(f"{path.name}: holds no objects.")

        manager_for = {}
        existing = 0
        for item in objects:
            model = type(item.object)
            manager = manager_for.setdefault(model, model._default_manager.using(database))
            item.object._state.adding = not manager.filter(pk=item.object.pk).exists()
            existing += not item.object._state.adding
        if existing and not force:
            return None

        for item in objects:
            obj = item.object
            models.add(type(obj))
            try:
                check_both_languages(obj)
                obj.full_clean()
                if problems := fact_problems(obj):
                    raise ValidationError("; ".join(problems))
            except ValidationError as exc:
                raise FixtureProblem(
                    f"{path.name}: {fixture_label(obj)}: {self.explain(exc)}"
                ) from exc
            try:
                with transaction.atomic(using=database):
                    obj._change_reason = f"Loaded from {path.name}"
                    obj.save(using=database)
                    for field_name, values in (item.m2m_data or {}).items():
                        getattr(obj, field_name).set(values)
            except Exception as exc:  # an integrity error names no object: we do
                raise FixtureProblem(f"{path.name}: {fixture_label(obj)}: {exc}") from exc
        return len(objects)

    @staticmethod
    def explain(error):
        if hasattr(error, "message_dict"):
            return "; ".join(
                f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()
            )
        return " ".join(error.messages)
