"""`python -m generator release [API ...]` (`make release`): bring a package's version and changelog in line with its
document. The document of the previous release is found in git by its fingerprint (or given with `--base`); the
diff against it decides the semver step and writes the changelog section; the record is updated and the package
regenerated."""

import datetime
import subprocess
from pathlib import Path

from . import pipeline, versions
from .diff.changes import Change, next_version
from .diff.documents import DiffInputError, Side, parse, read_side
from .diff.render import notes
from .diff.report import Report, compare
from .registry import ROOT, Api

_DOCUMENTATION_RULES = frozenset({"description-changed", "example-changed", "documentation-changed", "servers-changed"})


class ReleaseError(Exception):
    """A release cannot be made; the message says what to do."""


def _git(*arguments: str, cwd: Path = ROOT) -> str | None:
    try:
        result = subprocess.run(  # noqa: S603 - git with fixed subcommands
            ["git", *arguments],  # noqa: S607 - git from PATH, as a developer runs it
            cwd=cwd,
            capture_output=True,
            text=True,
            check=False,
        )
    except FileNotFoundError:
        return None
    return result.stdout if result.returncode == 0 else None


def committed_record(record: Path | None = None, cwd: Path = ROOT) -> dict[str, versions.Release]:
    """The record as HEAD has it (empty outside git, or before the first release was committed).

    Args:
        record: The record's path in the working copy.
        cwd: The repository's top.
    """
    record = record or versions.RECORD
    if not record.is_relative_to(cwd):
        return {}
    text = _git("show", f"HEAD:{record.relative_to(cwd).as_posix()}", cwd=cwd)
    try:
        return versions.parse_record(text) if text else {}
    except versions.VersionError:
        return {}


def released_document(api: Api, release: versions.Release, cwd: Path = ROOT) -> tuple[str, str]:
    """Find the document a release was made from: the newest revision of it in git whose fingerprint is the
    recorded one.

    Returns:
        The `REV:path` it was found at, and its text.

    Raises:
        ReleaseError: No revision in the history has it.
    """
    history = _git("log", "--format=%H", "--", api.label, cwd=cwd) or ""
    for revision in ["HEAD", *history.split()]:
        text = _git("show", f"{revision}:{api.label}", cwd=cwd)
        if text is not None and versions.document_fingerprint(text) == release.document:
            return f"{revision[:12]}:{api.label}", text
    raise ReleaseError(
        f"{api.label}: no revision in git's history is the document {release.version} was released from "
        f"(generator/versions.toml): pass the revision that holds it, `make release API={api.name} BASE=<rev>`"
    )


def section(version: str, date: str, report: Report, previous: str | None) -> str:
    """The changelog section of a release, from the diff against the previous one."""
    lines = [f"## {version} ({date})", ""]
    if previous is None:
        lines.append("The first versioned release.")
        return "\n".join(lines) + "\n"
    breaks = report.breaks
    if "wire" in breaks:
        lines.append(f"Clients of {previous} may fail against a server of this document: see Breaking.")
    if "code" in breaks:
        lines.append(f"Code written against {previous} must change: see Breaking.")
    if not breaks:
        lines.append(f"Compatible with {previous}, on the wire and in code.")
    groups: dict[str, list[Change]] = {"Breaking": [], "Added": [], "Changed": [], "Documentation": []}
    for change in report.changes:
        if change.breaks:
            groups["Breaking"].append(change)
        elif change.addition:
            groups["Added"].append(change)
        elif change.rules and set(change.rules) <= _DOCUMENTATION_RULES:
            groups["Documentation"].append(change)
        else:
            groups["Changed"].append(change)
    for heading, changes in groups.items():
        if not changes:
            continue
        lines += ["", f"### {heading}", ""]
        for change in changes:
            breaks_what = f" (breaks {' and '.join(change.breaks)})" if change.breaks else ""
            where = f" `#{change.pointer}`" if change.pointer else ""
            lines.append(f"- {change.title}{breaks_what}{where}")
            for note in notes(change.findings):
                if note["level"] != "info" or not change.breaks:
                    side = f"{note['side']}s: " if note["side"] else ""
                    lines.append(f"  - {side}{note['message']}")
            lines += [f"  - code: {code.message}" for code in change.code]
    return "\n".join(lines) + "\n"


def release(
    api: Api,
    date: str | None = None,
    base: str | None = None,
    record: Path | None = None,
    changelogs: Path | None = None,
    regenerate: bool = True,
    cwd: Path = ROOT,
) -> str | None:
    """Release `api`'s package if its document changed since the recorded release.

    Args:
        api: The API.
        date: The release's date (default: today, UTC).
        base: A git revision holding the previous release's document (default: found in git by its fingerprint).
        record: The record of versions (default: generator/versions.toml).
        changelogs: The folder of changelogs (default: generator/changelogs/).
        regenerate: Regenerate the package (`pipeline.generate`) after writing the record.
        cwd: The repository's top, where git runs.

    Returns:
        The new changelog section, or None when the package is already in line.

    Raises:
        ReleaseError: The previous release's document cannot be found.
        DiffInputError: A side cannot be read or generated.
    """
    releases = versions.load_record(record)
    current = releases.get(api.name)
    text = api.spec.read_text()
    fingerprint = versions.document_fingerprint(text)
    changelog_file = versions.changelog_path(api, changelogs)
    changelog = changelog_file.read_text() if changelog_file.exists() else versions.changelog_header(api)
    if (
        current is not None
        and current.document == fingerprint
        and versions.latest_version(changelog) == current.version
    ):
        return None
    previous = committed_record(record, cwd).get(api.name)
    if current is not None and previous is not None and previous != current:
        # A release made in the working copy and not committed is made again, from the committed one.
        if versions.latest_version(changelog) == current.version:
            changelog = versions.without_newest(changelog)
        current = previous
    date = date or datetime.datetime.now(datetime.UTC).date().isoformat()
    new = Side(api.label, api.label, text, parse(text, api.label))
    if current is None:
        version, report = versions.FIRST_VERSION, Report(api.name, "", api.label)
    else:
        if base is not None:
            old = read_side(f"{base}:{api.label}", cwd)
        else:
            label, old_text = released_document(api, current, cwd)
            old = Side(label, api.label, old_text, parse(old_text, label))
        report = compare(old, new, api)
        version = next_version(current.version, report.bump if report.bump != "none" else "patch")
    new_section = section(version, date, report, current.version if current else None)
    changelog_file.parent.mkdir(parents=True, exist_ok=True)
    changelog_file.write_text(versions.with_section(changelog, new_section))
    releases[api.name] = versions.Release(version, fingerprint)
    versions.write_record(releases, record)
    if regenerate:
        pipeline.generate([api], check=False)
    return new_section


__all__ = ["DiffInputError", "ReleaseError", "release", "section"]
