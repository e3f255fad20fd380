#!/usr/bin/env python3
"""Trim Microsoft Graph's published v1.0 metadata (OData CSDL) to what azreg uses.

Microsoft publishes the metadata as microsoftgraph/msgraph-metadata
`clean_v10_metadata/cleanMetadata.xml` (MIT licence, Copyright (c) 2018 Microsoft Graph); run
this with a copy of it: `extract.py cleanMetadata.xml [OUT]`. This keeps, unchanged, the CSDL
elements the contract test (tests/e2e/contract.rs) resolves azreg's requests against:

- the entity types azreg reads or writes, with their base types and the derived types an owner
  can be (their properties, navigation properties and alternate keys);
- every complex and enum type their properties reach, transitively;
- the bound actions azreg calls, and the entity sets and singletons it starts a path at.

Usage: extract.py [METADATA] [OUT]   (defaults: the shared copy, graph-v1.0-extract.xml here)
"""

import sys
import xml.etree.ElementTree as ET
from pathlib import Path

EDMX = "http://docs.oasis-open.org/odata/ns/edmx"
EDM = "http://docs.oasis-open.org/odata/ns/edm"
ET.register_namespace("edmx", EDMX)
ET.register_namespace("", EDM)

# Where azreg's paths start, and the entity types it touches.
ROOTS = ["applications", "servicePrincipals", "oauth2PermissionGrants", "organization",
         "directoryObjects", "me", "policies"]
ENTITIES = ["entity", "directoryObject", "application", "servicePrincipal", "user",
            "oAuth2PermissionGrant", "appRoleAssignment", "organization", "policyRoot",
            "policyBase", "stsPolicy", "appManagementPolicy", "tenantAppManagementPolicy"]
ACTIONS = ["addPassword", "removePassword"]


def local(t):
    """`graph.x`, `microsoft.graph.x`, `Collection(graph.x)` -> `x`; `Edm.*` -> None."""
    if t.startswith("Collection(") and t.endswith(")"):
        t = t[len("Collection("):-1]
    for prefix in ("microsoft.graph.", "graph."):
        if t.startswith(prefix):
            return t[len(prefix):]
    return None


def main():
    here = Path(__file__).resolve().parent
    if len(sys.argv) < 2:
        sys.exit("usage: extract.py cleanMetadata.xml [OUT]  (msgraph-metadata's clean_v10_metadata)")
    src = Path(sys.argv[1])
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else here / "graph-v1.0-extract.xml"
    tree = ET.parse(src)
    schema = tree.getroot().find(f"{{{EDMX}}}DataServices/{{{EDM}}}Schema")
    by_name = {}
    for el in schema:
        name = el.get("Name")
        if name and el.tag in (f"{{{EDM}}}EntityType", f"{{{EDM}}}ComplexType", f"{{{EDM}}}EnumType"):
            by_name[name] = el

    keep = []
    seen = set()
    todo = list(ENTITIES)
    while todo:
        name = todo.pop(0)
        if name in seen or name not in by_name:
            continue
        seen.add(name)
        el = by_name[name]
        keep.append(el)
        if el.get("BaseType"):
            todo.append(local(el.get("BaseType")))
        # Complex and enum types of properties, transitively (entity types only from the list).
        for p in el.findall(f"{{{EDM}}}Property"):
            t = local(p.get("Type", ""))
            if t and t in by_name and by_name[t].tag != f"{{{EDM}}}EntityType":
                todo.append(t)
        # A complex type's derived types can stand in its place.
        if el.tag == f"{{{EDM}}}ComplexType":
            for other in by_name.values():
                if other.get("BaseType") and local(other.get("BaseType")) == name:
                    todo.append(other.get("Name"))

    actions = [el for el in schema.findall(f"{{{EDM}}}Action")
               if el.get("Name") in ACTIONS
               and local(el.find(f"{{{EDM}}}Parameter").get("Type", "")) in seen]
    container = schema.find(f"{{{EDM}}}EntityContainer")
    roots = []
    for el in container:
        if el.get("Name") in ROOTS:
            trimmed = ET.Element(el.tag, dict(el.attrib))  # no navigation bindings
            roots.append(trimmed)

    edmx = ET.Element(f"{{{EDMX}}}Edmx", {"Version": "4.0"})
    ds = ET.SubElement(edmx, f"{{{EDMX}}}DataServices")
    new_schema = ET.SubElement(ds, f"{{{EDM}}}Schema", {"Namespace": "microsoft.graph", "Alias": "graph"})
    for el in sorted(keep, key=lambda e: (e.tag, e.get("Name"))):
        new_schema.append(el)
    for el in actions:
        new_schema.append(el)
    new_container = ET.SubElement(new_schema, f"{{{EDM}}}EntityContainer", {"Name": "GraphService"})
    for el in roots:
        new_container.append(el)
    ET.indent(edmx, space="  ")
    head = ("<!-- Trimmed from Microsoft Graph's v1.0 metadata (microsoftgraph/msgraph-metadata, "
            "clean_v10_metadata/cleanMetadata.xml, MIT licence, Copyright (c) 2018 Microsoft Graph) "
            "by tests/data/graph-contract/extract.py: the types, actions and roots azreg uses. -->\n")
    out.write_text(head + ET.tostring(edmx, encoding="unicode") + "\n", encoding="utf-8")
    print(f"{out}: {len(keep)} types, {len(actions)} actions, {len(roots)} roots")


if __name__ == "__main__":
    main()
