"""Every public type of the package is used from Python by some test here.

The list comes from the jsii assembly inside the wheel, so a type added to the library fails this test
until a consumer test uses it. A type counts as used when a test names it, or, for a struct, when it is
the keyword arguments of a constructor or method a test calls (jsii flattens the last struct parameter
into keywords), or the base of a used struct. Deprecated types are left out.
"""
import ast
import json
import pathlib
import re
import tarfile

import cdk_bulwark


def assembly() -> dict:
    [tgz] = (pathlib.Path(cdk_bulwark.__file__).parent / "_jsii").glob("*.jsii.tgz")
    with tarfile.open(tgz) as archive:
        return json.load(archive.extractfile("package/.jsii"))


def names_used_by_the_tests() -> set:
    used = set()
    for path in pathlib.Path(__file__).parent.glob("test_*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            used.add(node.id if isinstance(node, ast.Name) else getattr(node, "attr", None))
    return used


def snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def test_every_public_type_is_used_by_a_consumer_test():
    types = {t["name"]: t for t in assembly()["types"].values() if "deprecated" not in t.get("docs", {}) and t.get("docs", {}).get("stability") != "deprecated"}
    used = names_used_by_the_tests()
    reached = {name for name in types if name in used}
    while True:
        more = set()
        for name in reached:
            t = types[name]
            callables = [t["initializer"]] if "initializer" in t else []
            callables += [m for m in t.get("methods", []) if snake(m["name"]) in used]
            more |= {c["parameters"][-1]["type"].get("fqn", "").split(".")[-1] for c in callables if c.get("parameters")}
            more |= {base.split(".")[-1] for base in t.get("interfaces", [])}
        if more & types.keys() <= reached:
            break
        reached |= more & types.keys()
    missing = sorted(types.keys() - reached)
    assert not missing, f"public types that no consumer test uses: {missing}"
