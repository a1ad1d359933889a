"""The version and changelog of each generated package, and the guard that keeps them in step with the documents.

A package is never edited by hand, and regenerating it must give the same bytes, so what it says about its version
lives in generator/:

- `generator/versions.toml`: per API, the released `version` and the `document` it was released from: a fingerprint
  (sha256) of the document as the clients read it (`provenance.as_read_by_clients`), marks of where facts come from
  set aside, so a reworded reason or a new `x-facts` entry needs no release, while anything that changes the wire or
  the generated code does;
- `generator/changelogs/<api>.md`: the package's changelog, newest section first, each written by
  `python -m generator release` from the diff of the document against the previous release (and free to be edited
  by hand afterwards).

`python -m generator` writes both into the package: `CHANGELOG.md`, and `__version__` at the end of its
`__init__.py`. `python -m generator --check` fails when a document's fingerprint is not the one recorded, or the
changelog's newest section is not the recorded version: `make release API=<api>` brings them in line.
"""

import hashlib
import json
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .diff.documents import strip_marks
from .provenance import ProvenanceError, as_read_by_clients
from .registry import ROOT, Api

RECORD = Path(__file__).with_name("versions.toml")
CHANGELOGS = Path(__file__).with_name("changelogs")
FIRST_VERSION = "1.0.0"
_SECTION = re.compile(r"^## (\d+\.\d+\.\d+)\b", re.MULTILINE)
_RECORD_HEADER = """\
# The released version of each generated package, and the document it was released from: a fingerprint of the
# document as the clients read it, marks of where facts come from set aside (generator/versions.py). Written by
# `make release API=<api>` (python -m generator release) with its changelog, generator/changelogs/<api>.md; read by
# `python -m generator`, which writes `__version__` and CHANGELOG.md into the package, and by its `--check`, which
# fails when a document changed and its package's version did not follow. Not edited by hand.
"""


class VersionError(Exception):
    """The record of versions cannot be read."""


@dataclass(frozen=True)
class Release:
    """One package's recorded release.

    Attributes:
        version: MAJOR.MINOR.PATCH.
        document: The fingerprint of the document it was released from (`fingerprint`).
    """

    version: str
    document: str


def fingerprint(document: Any) -> str:
    """What identifies a document's content for its package: a sha256 of the document as the clients read it, marks
    set aside, in a canonical JSON form (so reformatting the YAML changes nothing)."""
    try:
        readable = as_read_by_clients(document)
    except ProvenanceError:
        readable = document
    canonical = json.dumps(
        strip_marks(readable), sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    )
    return "sha256:" + hashlib.sha256(canonical.encode()).hexdigest()


def document_fingerprint(text: str) -> str:
    """`fingerprint` of a document's text."""
    return fingerprint(yaml.safe_load(text))


def parse_record(text: str) -> dict[str, Release]:
    """Read the text of a record of versions.

    Raises:
        VersionError: It is not TOML, or an entry lacks its version or document.
    """
    try:
        entries = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise VersionError(f"generator/versions.toml is not TOML: {error}") from None
    releases = {}
    for name, entry in entries.items():
        if not isinstance(entry, dict) or not isinstance(entry.get("version"), str) or "document" not in entry:
            raise VersionError(f"generator/versions.toml: [{name}] needs `version` and `document`")
        releases[name] = Release(entry["version"], str(entry["document"]))
    return releases


def load_record(record: Path | None = None) -> dict[str, Release]:
    """The recorded releases, by API name (none when there is no record yet).

    Args:
        record: The record (default: generator/versions.toml).
    """
    record = record or RECORD
    return parse_record(record.read_text()) if record.exists() else {}


def write_record(releases: dict[str, Release], record: Path | None = None) -> None:
    """Write the record (default: generator/versions.toml), entries in the order given."""
    record = record or RECORD
    body = "".join(
        f'\n[{name}]\nversion = "{release.version}"\ndocument = "{release.document}"\n'
        for name, release in releases.items()
    )
    record.write_text(_RECORD_HEADER + body)


def changelog_path(api: Api, changelogs: Path | None = None) -> Path:
    """`api`'s changelog in `changelogs` (default: generator/changelogs/)."""
    return (changelogs or CHANGELOGS) / f"{api.name}.md"


def latest_version(changelog: str) -> str | None:
    """The version of a changelog's newest section."""
    match = _SECTION.search(changelog)
    return match.group(1) if match else None


def changelog_header(api: Api) -> str:
    """The top of a new changelog: what the package is and what its versions mean."""
    return (
        f"# Changelog: `generated_client.{api.package}`\n\n"
        f"The {api.title} client, generated from `{api.label}`. Versions follow semver from "
        "`python -m generator diff`: a change that breaks code written against the package bumps the major version; "
        "a new operation, parameter, field or value the minor; anything else the patch. A change that breaks clients "
        "of the previous release on the wire says so. Each section is written by `make release` from the diff of the "
        "document against the previous release.\n"
    )


def with_section(changelog: str, section: str) -> str:
    """`changelog` with `section` (starting `## VERSION`) as its newest."""
    match = _SECTION.search(changelog)
    if match is None:
        return changelog.rstrip() + "\n\n" + section.rstrip() + "\n"
    return changelog[: match.start()] + section.rstrip() + "\n\n" + changelog[match.start() :]


def without_newest(changelog: str) -> str:
    """`changelog` without its newest section (a release not yet committed, being made again)."""
    sections = list(_SECTION.finditer(changelog))
    if not sections:
        return changelog
    end = sections[1].start() if len(sections) > 1 else len(changelog)
    return changelog[: sections[0].start()] + changelog[end:]


def write_into(api: Api, package: Path, record: Path | None = None, changelogs: Path | None = None) -> None:
    """Write the recorded version (`__version__`, at the end of `__init__.py`) and the changelog (`CHANGELOG.md`)
    into a freshly generated package; nothing before the API's first release."""
    release = load_record(record).get(api.name)
    changelog = changelog_path(api, changelogs)
    if release is None or not changelog.exists():
        return
    source = changelog.relative_to(ROOT) if changelog.is_relative_to(ROOT) else changelog
    (package / "CHANGELOG.md").write_text(
        f"<!-- Generated by `python -m generator` from {source}: do not edit here; `make release API={api.name}` "
        "writes it. -->\n" + changelog.read_text()
    )
    init = package / "__init__.py"
    init.write_text(init.read_text().rstrip() + f'\n\n__version__ = "{release.version}"\n')


def check(apis: list[Api], record: Path | None = None, changelogs: Path | None = None) -> list[str]:
    """What is out of step: a document changed since its package's recorded release, or a changelog whose newest
    section is not the recorded version.

    Returns:
        One message per API out of step, naming the command that brings it in line; empty when all are.
    """
    try:
        releases = load_record(record)
    except VersionError as error:
        return [str(error)]
    problems = []
    for api in apis:
        command = f"`make release API={api.name}`"
        release = releases.get(api.name)
        if release is None:
            problems.append(
                f"{api.label}: generated_client.{api.package} has no release recorded in generator/versions.toml: "
                f"run {command} to record its first version and changelog"
            )
            continue
        current = document_fingerprint(api.spec.read_text())
        if current != release.document:
            problems.append(
                f"{api.label} changed since generated_client.{api.package} {release.version} was released, but its "
                f"version and changelog did not follow: run {command} (it writes the changelog section from "
                f"`python -m generator diff`, bumps the version by semver and regenerates the package), then commit "
                f"generator/versions.toml, generator/changelogs/{api.name}.md and generated_client/{api.package}/ "
                "with the document"
            )
            continue
        changelog = changelog_path(api, changelogs)
        newest = latest_version(changelog.read_text()) if changelog.exists() else None
        if newest != release.version:
            problems.append(
                f"generator/changelogs/{api.name}.md: its newest section is {newest or 'missing'}, but "
                f"generator/versions.toml records {release.version}: run {command}"
            )
    return problems
