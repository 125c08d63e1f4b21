"""Helpers for the plan and timeline tests: a plan drawn as a grid of years, and an HTML reader."""

from html.parser import HTMLParser

from actions.models import ScheduledYear
from tests.factories import make_action, make_line, make_organisation
from tests.factories import make_plan as make_empty_plan

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


def make_owner(suffix="a"):
    return make_organisation(f"Ajuntament {suffix}", f"Council {suffix}")


def make_plan(lines, *, start=2020, end=2023, slug="pla-prova", owner=None):
    """A plan from {line number: [[(year, status), ...] per action]}.

    A bare year stands for (year, "planned").
    """
    plan = make_empty_plan(
        f"Pla {slug}",
        f"Plan {slug}",
        slug_ca=slug,
        slug_en=f"{slug}-en",
        owner=owner or make_owner(slug),
        start_year=start,
        end_year=end,
    )
    for number, actions in lines.items():
        line = make_line(plan, number)
        for position, years in enumerate(actions, start=1):
            action = make_action(line, position)
            ScheduledYear.objects.bulk_create(
                ScheduledYear(action=action, year=y[0], status=y[1])
                if isinstance(y, tuple)
                else ScheduledYear(action=action, year=y)
                for y in years
            )
    return plan


class Node:
    def __init__(self, tag, attrs, parent=None):
        self.tag, self.attrs, self.parent, self.children = tag, dict(attrs), parent, []

    @property
    def classes(self):
        return (self.attrs.get("class") or "").split()

    @property
    def text(self):
        return " ".join(
            "".join(c if isinstance(c, str) else c.text + " " for c in self.children).split()
        )

    def find_all(self, tag, cls=None, **attrs):
        found = []
        for child in self.children:
            if isinstance(child, Node):
                if (
                    child.tag == tag
                    and (cls is None or cls in child.classes)
                    and all(child.attrs.get(k) == v for k, v in attrs.items())
                ):
                    found.append(child)
                found += child.find_all(tag, cls, **attrs)
        return found

    def find(self, tag, cls=None, **attrs):
        found = self.find_all(tag, cls, **attrs)
        return found[0] if found else None


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = self.current = Node("document", {})

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs, self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_endtag(self, tag):
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse_html(content):
    builder = _TreeBuilder()
    builder.feed(content.decode() if isinstance(content, bytes) else content)
    return builder.root


def grid_cells(document):
    """{action code: {year: cell text}} for the scheduled cells of the timeline grid."""
    table = document.find("table", "timeline")
    years = [int(th.text) for th in table.find("thead").find_all("th")[1:]]
    grid = {}
    for tbody in table.find_all("tbody"):
        for row in tbody.find_all("tr"):
            header = row.find("th", scope="row")
            if header is None:
                continue
            code = header.find("span", "code").text
            cells = row.find_all("td")
            assert len(cells) == len(years), f"{code}: one cell per year"
            grid[code] = {
                year: cell.text
                for year, cell in zip(years, cells, strict=True)
                if "cell-empty" not in cell.classes
            }
    return grid
