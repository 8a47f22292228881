"""The lock: requirements.txt pins every package of the build and the tests, with hashes,
compiled by pip-tools from pyproject.toml's ranges (``make lock``). It must agree with
pyproject.toml, and it is what this test run was installed from."""

from __future__ import annotations

import re
import tomllib
from importlib import metadata

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from conftest import ROOT

LOCK = ROOT / "requirements.txt"
REFRESH = "requirements.txt does not match pyproject.toml: run `make lock` and commit the result"
SOURCE = "papers-site (pyproject.toml)"


def declared() -> dict[str, Requirement]:
    """pyproject.toml's dependencies and test extras, by canonical name."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = [*project["dependencies"], *project["optional-dependencies"]["test"]]
    return {canonicalize_name(Requirement(r).name): Requirement(r) for r in requirements}


def locked() -> dict[str, tuple[str, list[str], str]]:
    """Each pinned package: (version, hashes, the lock's "via" notes)."""
    entries: dict[str, tuple[str, list[str], str]] = {}
    blocks = re.split(r"\n(?=[A-Za-z0-9])", LOCK.read_text(encoding="utf-8"))
    for block in blocks:
        match = re.match(r"([A-Za-z0-9._-]+)==(\S+)", block)
        if match:
            hashes = re.findall(r"--hash=sha256:([0-9a-f]{64})", block)
            via = " ".join(re.findall(r"#\s+(?:via\s+)?(.*)", block))
            entries[canonicalize_name(match.group(1))] = (match.group(2), hashes, via)
    return entries


def test_every_declared_dependency_is_locked_within_its_range():
    pins = locked()
    for name, requirement in declared().items():
        assert name in pins, f"{name} is not in the lock. {REFRESH}"
        version = pins[name][0]
        assert requirement.specifier.contains(version, prereleases=True), (
            f"{name}=={version} is outside {requirement.specifier}. {REFRESH}"
        )


def test_the_lock_names_no_dependency_pyproject_dropped():
    direct = {name for name, (_, _, via) in locked().items() if SOURCE in via}
    assert direct == set(declared()), REFRESH


def test_every_pin_has_hashes_and_the_lock_says_how_it_was_made():
    text = LOCK.read_text(encoding="utf-8")
    assert "pip-compile" in text and "--generate-hashes" in text and "--extra=test" in text
    pins = locked()
    assert len(pins) > 40
    assert [name for name, (_, hashes, _) in pins.items() if not hashes] == []
    assert "pagefind-bin-extended" in pins  # the binary comes from the lock too
    options = [line for line in text.splitlines() if line.startswith("-")]
    assert options == []  # no --index-url or --find-links: PyPI, nothing local


def test_this_test_run_was_installed_from_the_lock():
    """`make test` installs requirements.txt with --require-hashes: every pinned package is
    installed at its pinned version."""
    wrong = {}
    for name, (version, _, _) in locked().items():
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            installed = "missing"
        if installed != version:
            wrong[name] = (version, installed)
    assert wrong == {}, "run `make test`, which installs the lock into .venv"
