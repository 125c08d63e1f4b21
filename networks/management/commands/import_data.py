"""``manage.py import_data MODEL FILE [--dry-run] [--user USERNAME]``: the admin's import.

The same engine and report as the admin's import page: every row with an error is printed
with its row, column and reason, and the command exits with status 1 having written
nothing. ``--user`` imports with that account's permissions (and names it in the history);
without it the import runs with every permission, as a deployment script would.
"""

import os

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from networks.imports import all_resources, get_resource
from networks.imports.engine import run_import
from networks.imports.files import ImportFile, ImportFileError
from networks.imports.reports import ERROR, UNCHANGED


class Command(BaseCommand):
    help = "Import a CSV or XLSX file (preview with --dry-run); all rows or none."

    def add_arguments(self, parser):
        parser.add_argument("model", help="e.g. networks.organisation or organisation")
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="Report only; write nothing.")
        parser.add_argument("--user", help="Import as this account (its permissions apply).")
        parser.add_argument(
            "--language",
            default=settings.LANGUAGE_CODE,
            choices=[code for code, _name in settings.LANGUAGES],
            help="Language of the report.",
        )

    def handle(self, model, file, dry_run, user, language, **options):
        translation.activate(language)
        resource_class = self.resource_class(model)
        account = None
        if user:
            try:
                account = get_user_model().objects.get(username=user)
            except get_user_model().DoesNotExist:
                raise CommandError(f"No user is called {user!r}.") from None
        resource = resource_class(account)
        if not resource.can_import():
            raise CommandError(f"{user} may not import {resource.verbose_name_plural()}.")
        verbose = options["verbosity"]
        try:
            with open(file, "rb") as data:
                report = run_import(
                    resource,
                    ImportFile(data, os.path.basename(file)),
                    dry_run=dry_run,
                    sink=lambda result: self.print_row(result, verbose),
                )
        except FileNotFoundError:
            raise CommandError(f"{file}: no such file.") from None
        except ImportFileError as error:
            raise CommandError(error.message) from None
        for message in report.file_errors:
            self.stderr.write(message)
        if report.file_errors:
            raise CommandError(f"{file}: nothing was imported.")
        self.stdout.write(report.summary())
        if report.has_errors:
            raise CommandError(f"{file}: nothing was imported.")
        if report.record is not None:
            self.stdout.write(f"Import #{report.record.pk} recorded; undo it from the admin.")

    def resource_class(self, model):
        resources = all_resources()
        label = model.lower()
        if "." not in label:
            matches = [name for name in resources if name.split(".")[1] == label]
            label = matches[0] if len(matches) == 1 else label
        resource_class = get_resource(label)
        if resource_class is None:
            raise CommandError(
                f"Nothing to import as {model!r}; choose one of: {', '.join(sorted(resources))}."
            )
        return resource_class

    def print_row(self, result, verbosity):
        if result.outcome == UNCHANGED and verbosity < 2:
            return
        stream = self.stderr if result.outcome == ERROR else self.stdout
        stream.write(f"{result.row}\t{result.outcome_display()}\t{result.label}")
        for column, message in result.errors:
            stream.write(f"\t{column or '—'}: {message}")
        for column, old, new in result.changes:
            stream.write(f"\t{column}: {old!r} → {new!r}" if old else f"\t{column}: {new!r}")
