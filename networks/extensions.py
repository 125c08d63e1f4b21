"""Where apps built on the directory add to its pages, without the directory importing them.

``networks`` is the site's core and never imports ``actions`` (tests/test_architecture.py
checks it). A page of the directory that also shows something of another app (the home
page's count of plans, the main menu's link to plans, the plan actions of a municipality,
network or organisation) names a *slot*; the other app registers, in its ``AppConfig.ready``,
a template for that slot and, if the template needs data, a function that gives it:

    register("municipality_detail", "actions/includes/municipality_actions.html", context_fn)

and the directory's template renders whatever is registered with ``{% slot "name" %}``
(networks/templatetags/xmess.py). ``context_fn(request, obj)`` returns a dict; ``obj`` is the
page's object (None on pages without one). Sections render in registration order.

Sitemap sections, feeds and search documents need no registry: each app has its own, and the
project's urlconf (xmess_site/urls.py), which knows every app, puts them together.
"""

from dataclasses import dataclass

SLOTS = {
    "main_nav",  # <li> items after the directory's own, in the header menu
    "home_stats",  # <li> items after the directory's counts on the home page
    "network_detail",  # sections at the end of a network's page
    "organisation_detail",  # sections at the end of an organisation's page
    "municipality_detail",  # sections at the end of a municipality's page
    "comarca_detail",  # sections at the end of a comarca's page
}


@dataclass(frozen=True)
class Section:
    template: str
    context: object = None  # callable(request, obj) -> dict, or None


_sections = {slot: [] for slot in SLOTS}


def _check(slot):
    if slot not in SLOTS:
        raise ValueError(f"Unknown slot {slot!r}; the directory offers {sorted(SLOTS)}.")


def register(slot, template, context=None):
    """Add ``template`` to ``slot``; registering the same template twice keeps one."""
    _check(slot)
    sections = _sections[slot]
    sections[:] = [section for section in sections if section.template != template]
    sections.append(Section(template, context))


def sections(slot):
    _check(slot)  # a misspelt slot in a template fails loudly, not as an empty section
    return list(_sections[slot])
