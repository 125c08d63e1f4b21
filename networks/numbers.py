"""Counts written as a reader of each language writes them: 100.021 in Catalan, 100,021 in
English (digits grouped in thousands, with Django's format of the active language).

Only for counts shown as text. A number in a URL, an HTML attribute or a year stays as it
is, which is why the site does not set ``USE_THOUSAND_SEPARATOR`` (that would write 2.019
for a year, and group every number the admin shows)."""

from django.utils.formats import number_format


def grouped(count):
    """``count`` (an int) with its digits grouped in the active language's style."""
    if -1000 < count < 1000:
        return str(count)  # nothing to group: skips the format look-ups (a map names 947)
    return number_format(count, force_grouping=True)
