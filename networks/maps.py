"""Maps of Catalonia drawn on the server as inline, accessible SVG: no script, no tiles.

The boundaries (``data/boundaries.topojson``, built by ``manage.py build_boundaries``) are
decoded and projected once per process (``functools.cache``): arcs are delta-decoded,
projected with an equirectangular projection true to scale at Catalonia's mean latitude,
simplified (Douglas-Peucker, half a unit) and rounded to whole units of a 1000-unit-wide
view box, then each municipality's rings are written once as a compact relative SVG path.
A request only joins cached strings: each municipality a link with an accessible name,
coloured through a CSS class (the strict CSP forbids style attributes).

Names and slugs come from the database, cached in Django's cache and dropped whenever a
municipality is saved or deleted. Three municipalities have no area at this resolution:
they are drawn as a dot at their point.
"""

import functools
import html
import json
import math
from dataclasses import dataclass, field
from pathlib import Path

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from .collation import sort_key

DATA_FILE = Path(__file__).resolve().parent / "data" / "boundaries.topojson"
WIDTH = 1000
TOLERANCE = 0.5
INDEX_CACHE_KEY = "maps:municipality-index:v1"
CREDIT = _("Boundaries: IGN/CNIG and ICGC, CC BY 4.0")


@dataclass
class Shape:
    code: str
    comarca: str
    path: str = ""
    point: tuple | None = None
    bbox: tuple = (0, 0, 0, 0)
    topology: dict = field(default_factory=dict, repr=False)


@dataclass
class Geography:
    shapes: dict
    comarca_arcs: dict
    arcs: list  # projected, simplified, rounded: [[(x, y), ...], ...]
    lonlat_arcs: list
    height: int
    unproject: object = field(repr=False, default=None)


def _simplify(points, tolerance):
    """Douglas-Peucker, iterative; the ends of an arc stay, so shared borders still meet."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        length = math.hypot(dx, dy) or 1e-12
        worst, index = 0.0, None
        for i in range(first + 1, last):
            x, y = points[i]
            distance = abs(dy * (x - x1) - dx * (y - y1)) / length
            if distance > worst:
                worst, index = distance, i
        if index is not None and worst > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def _ring_indices(geometry):
    if geometry["type"] == "Polygon":
        return list(geometry["arcs"])
    if geometry["type"] == "MultiPolygon":
        return [ring for polygon in geometry["arcs"] for ring in polygon]
    return []


def _ring(arcs, indices):
    points = []
    for index in indices:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc[1:] if points else arc)
    return points


def _path(rings):
    parts = []
    for ring in rings:
        if len({tuple(p) for p in ring}) < 3:
            continue
        (x, y), steps = ring[0], []
        for nx, ny in ring[1:]:
            if (nx, ny) != (x, y):
                steps.append(f"{nx - x} {ny - y}".replace(" -", "-"))
                x, y = nx, ny
        parts.append(f"M{ring[0][0]} {ring[0][1]}l{' '.join(steps)}z".replace(" -", "-"))
    return "".join(parts)


@functools.cache
def geography():
    topology = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    lonlat = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        lonlat.append(points)
    lons = [p[0] for arc in lonlat for p in arc]
    lats = [p[1] for arc in lonlat for p in arc]
    west, north = min(lons), max(lats)
    ratio = math.cos(math.radians((min(lats) + north) / 2))
    k = WIDTH / ((max(lons) - west) * ratio)

    def project(lon, lat):
        return ((lon - west) * ratio * k, (north - lat) * k)

    def unproject(x, y):
        return (x / (ratio * k) + west, north - y / k)

    arcs = []
    for arc in lonlat:
        simplified = _simplify([project(*p) for p in arc], TOLERANCE)
        arcs.append([(round(x), round(y)) for x, y in simplified])

    shapes = {}
    for geometry in topology["objects"]["municipalities"]["geometries"]:
        code = geometry["id"]
        shape = Shape(code=code, comarca=geometry["properties"]["comarca"], topology=geometry)
        if geometry["type"] == "Point":
            px, py = geometry["coordinates"]
            x, y = project(px * sx + tx, py * sy + ty)
            shape.point = (round(x), round(y))
            shape.bbox = (*shape.point, *shape.point)
        else:
            rings = [_ring(arcs, ring) for ring in _ring_indices(geometry)]
            shape.path = _path(rings)
            xs = [p[0] for ring in rings for p in ring]
            ys = [p[1] for ring in rings for p in ring]
            shape.bbox = (min(xs), min(ys), max(xs), max(ys))
        shapes[code] = shape
    comarca_arcs = {}
    for geometry in topology["objects"]["comarques"]["geometries"]:
        indices = {i if i >= 0 else ~i for ring in _ring_indices(geometry) for i in ring}
        comarca_arcs[geometry["id"]] = indices
    height = math.ceil(max(s.bbox[3] for s in shapes.values()))
    return Geography(shapes, comarca_arcs, arcs, lonlat, height, unproject)


@functools.cache
def geojson_geometries():
    """{INE code: GeoJSON geometry} in WGS84 at the data's full resolution (5 decimals)."""
    geo = geography()
    topology = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]

    def ring(indices):
        return [[round(x, 5), round(y, 5)] for x, y in _ring(geo.lonlat_arcs, indices)]

    geometries = {}
    for code, shape in geo.shapes.items():
        geometry = shape.topology
        if geometry["type"] == "Point":
            x, y = geometry["coordinates"]
            coordinates = [round(x * sx + tx, 5), round(y * sy + ty, 5)]
        elif geometry["type"] == "Polygon":
            coordinates = [ring(indices) for indices in geometry["arcs"]]
        else:
            coordinates = [[ring(indices) for indices in polygon] for polygon in geometry["arcs"]]
        geometries[code] = {"type": geometry["type"], "coordinates": coordinates}
    return geometries


@functools.cache
def _outline(comarques):
    """One path drawing each comarca border once (shared borders are shared arcs)."""
    arcs = geography().arcs
    indices = sorted(set().union(*(geography().comarca_arcs[c] for c in comarques)))
    return "".join(
        f"M{arcs[i][0][0]} {arcs[i][0][1]}l"
        + " ".join(
            f"{b[0] - a[0]} {b[1] - a[1]}" for a, b in zip(arcs[i], arcs[i][1:], strict=False)
        )
        for i in indices
        if len(arcs[i]) > 1
    ).replace(" -", "-")


def municipality_index():
    """{INE code: (name, slug)} for every municipality in Catalan order of names, from the
    cache when possible."""
    index = cache.get(INDEX_CACHE_KEY)
    if index is None:
        from .models import Municipality

        rows = Municipality.objects.order_by().values_list("ine_code", "name", "slug")
        # Kept in Catalan alphabetical order: maps list their links in this order.
        rows = sorted(rows, key=lambda row: sort_key(row[1]))
        index = {code: (name, slug) for code, name, slug in rows}
        cache.set(INDEX_CACHE_KEY, index, 24 * 3600)
    return index


def _forget_index(sender, **kwargs):
    cache.delete(INDEX_CACHE_KEY)


post_save.connect(_forget_index, sender="networks.Municipality", dispatch_uid="maps_index_save")
post_delete.connect(_forget_index, sender="networks.Municipality", dispatch_uid="maps_index_del")


def render(*, label, classes=None, names=None, only=None, highlight=None):
    """The SVG of a map, as safe HTML.

    ``classes``: {INE code: CSS class} for shaded municipalities; ``names``: {INE code:
    accessible name} where it says more than the name (what the colour shows); ``only``:
    the INE codes to draw, the view box fitted to them (all of Catalonia when None);
    ``highlight``: one INE code drawn last (on top) and marked.
    Links follow Catalan alphabetical order, so the keyboard walks the map as a list.
    """
    geo = geography()
    classes, names = classes or {}, names or {}
    index = municipality_index()
    url = reverse("networks:municipality_detail", kwargs={"slug": "SLUG"})
    codes = [code for code in index if code in geo.shapes and (only is None or code in only)]
    if highlight in codes:
        codes.remove(highlight)
        codes.append(highlight)
    boxes = [geo.shapes[code].bbox for code in codes] or [(0, 0, WIDTH, geo.height)]
    x0, y0 = min(b[0] for b in boxes) - 4, min(b[1] for b in boxes) - 4
    width, height = max(b[2] for b in boxes) + 4 - x0, max(b[3] for b in boxes) + 4 - y0
    radius = max(2, round(max(width, height) / 160))
    parts = [
        f'<svg class="map__svg" viewBox="{x0} {y0} {width} {height}" '
        f'aria-label="{html.escape(str(label))}">'
    ]
    for code in codes:
        shape = geo.shapes[code]
        name, slug = index[code]
        accessible = html.escape(names.get(code, name))
        css = classes.get(code, "")
        if code == highlight:
            css = f"{css} here".strip()
        css = f' class="{css}"' if css else ""
        if shape.point:
            drawing = f'<circle{css} cx="{shape.point[0]}" cy="{shape.point[1]}" r="{radius}"/>'
        else:
            drawing = f'<path{css} d="{shape.path}"/>'
        # The <title> names the link (SVG-AAM) and shows on hover: an aria-label with the
        # same words would add 45 KB to a map of every municipality.
        parts.append(
            f'<a href="{url.replace("SLUG", slug)}"><title>{accessible}</title>{drawing}</a>'
        )
    comarques = {geo.shapes[code].comarca for code in codes}
    if comarques:
        parts.append(f'<path class="map__outline" d="{_outline(tuple(sorted(comarques)))}"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 -- every interpolated text is escaped above
