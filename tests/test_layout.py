"""The folder listing reads as the pipeline: a package a stage, in the order of the data,
and imports that only go down it (ARCHITECTURE.md, "The stages"). Read from the code's
own imports, every one of them, those inside functions too."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "generator"

#: Each top-level room of ``generator/`` and its place in the pipeline: a module may import
#: its own room and the rooms of lower numbers, never a higher one. The shared records
#: (errors, model, settings, yamlio) are below every stage; the channels that write
#: ``content/`` or send mail (fetch, mail) sit beside the build, on top of the stages.
STAGES = {
    "__init__": 0, "errors": 0, "model": 0, "settings": 0, "yamlio": 0,
    "readers": 1,
    "tags": 2,
    "corpus": 3,
    "discover": 4,
    "render": 5,
    "site": 6,
    "build": 7, "fetch": 7, "mail": 7,
    "cli": 8,
    "__main__": 9,
}  # fmt: skip
PACKAGES = {name for name in STAGES if (PACKAGE / name).is_dir()}


def room_of(path: Path) -> str:
    return path.relative_to(PACKAGE).parts[0].removesuffix(".py")


def imported(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, dotted module) of every import of the generator, names of ``from generator
    import x`` as ``generator.x``."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("generator")]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("generator"):
            module = node.module or ""
            if module == "generator":  # a room, or a name of generator/__init__.py
                found += [
                    (node.lineno, f"generator.{a.name if a.name in STAGES else '__init__'}")
                    for a in node.names
                ]
            else:
                found.append((node.lineno, module))
    return found


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_every_room_has_a_stage():
    rooms = {room_of(path) for path in modules()}
    assert rooms == set(STAGES), rooms ^ set(STAGES)


def test_imports_only_go_down_the_pipeline():
    upward = []
    for path in modules():
        source = room_of(path)
        for line, module in imported(ast.parse(path.read_text(encoding="utf-8"))):
            target = module.split(".")[1]
            if STAGES[target] > STAGES[source]:
                upward.append(f"{path.relative_to(ROOT)}:{line}: {source} imports {module}")
    assert upward == []


def test_other_rooms_use_a_package_through_its_face():
    """Outside a package, code imports what its ``__init__`` exports, never one of its
    modules: the package says in one place what later stages use."""
    reaching = []
    for path in modules():
        source = room_of(path)
        for line, module in imported(ast.parse(path.read_text(encoding="utf-8"))):
            parts = module.split(".")
            if parts[1] in PACKAGES and parts[1] != source and len(parts) > 2:
                reaching.append(f"{path.relative_to(ROOT)}:{line}: {module}")
    assert reaching == []


def test_each_package_says_what_its_stage_owns():
    for name in sorted(PACKAGES):
        doc = ast.get_docstring(ast.parse((PACKAGE / name / "__init__.py").read_text()))
        assert doc and len(doc) > 200, name
