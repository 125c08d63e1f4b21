"""Write schema_org_terms.json: the schema.org properties each type used by our JSON-LD allows.

Source: the npm package ``schema-dts`` (Google's TypeScript definitions generated from the
schema.org vocabulary), file ``dist/schema.d.ts``. Each type ``X`` is an interface
``XLeaf extends <Base>`` with ``"@type": "X"``; its properties are those of that base and
of every interface the base extends, transitively. Run from the repository root:

    npm pack schema-dts@2.1.0 && tar xzf schema-dts-2.1.0.tgz
    python tests/data/make_schema_org_terms.py package/dist/schema.d.ts 2.1.0
"""

import json
import re
import sys
from pathlib import Path

# Every type our pages' JSON-LD uses, and those of the values it nests.
TYPES = [
    "Action",
    "AdministrativeArea",
    "CreativeWork",
    "DefinedTerm",
    "Event",
    "GeoCoordinates",
    "GovernmentOrganization",
    "ItemList",
    "ListItem",
    "Organization",
    "Place",
    "PostalAddress",
    "PropertyValue",
    "VirtualLocation",
    "WebPage",
]

INTERFACE = re.compile(r"^(?:export )?interface (\w+) extends ([^{]+)\{$")
PROPERTY = re.compile(r'^\s+"([@\w]+)"\??:')
LEAF_TYPE = re.compile(r'^\s+"@type": "(\w+)";')


def parse(text):
    parents, properties, leaves = {}, {}, {}
    current = None
    for line in text.splitlines():
        match = INTERFACE.match(line)
        if match:
            current = match.group(1)
            parents[current] = [p.strip() for p in match.group(2).split(",") if p.strip()]
            properties[current] = set()
            continue
        if current is None:
            continue
        if line.startswith("}"):
            current = None
            continue
        leaf = LEAF_TYPE.match(line)
        if leaf and current.endswith("Leaf"):
            leaves[leaf.group(1)] = current
        match = PROPERTY.match(line)
        if match and not match.group(1).startswith("@"):
            properties[current].add(match.group(1))
    return parents, properties, leaves


def closure(name, parents, properties):
    seen, stack, result = set(), [name], set()
    while stack:
        interface = stack.pop()
        if interface in seen or interface not in properties:
            continue
        seen.add(interface)
        result |= properties[interface]
        stack += parents.get(interface, [])
    return result


def main(path, version):
    parents, properties, leaves = parse(Path(path).read_text(encoding="utf-8"))
    terms = {
        "_source": f"npm schema-dts {version}, dist/schema.d.ts (generated from schema.org); "
        "made by tests/data/make_schema_org_terms.py",
        "types": {name: sorted(closure(leaves[name], parents, properties)) for name in TYPES},
    }
    target = Path(__file__).with_name("schema_org_terms.json")
    target.write_text(json.dumps(terms, indent=1, sort_keys=True) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(*sys.argv[1:3])
