"""`python -m generator [--check] [API ...]`: regenerate the clients, or check that the committed ones are current (and
that each package's version and changelog follow its document).

Subcommands: `python -m generator diff OLD NEW` (what a change breaks, `generator/diff/`), `python -m generator release
[API ...]` (bring a package's version and changelog in line with its document, `release.py`), `python -m generator
dist [API ...]` (each package as a wheel, `dist.py`).
"""

import argparse
import sys
from pathlib import Path

from . import versions
from .pipeline import GenerationError, generate
from .registry import ROOT, Api, load_apis


def release_main(argv: list[str]) -> int:
    """`python -m generator release [--base REV:path] [--date DATE] [API ...]`."""
    from .diff.documents import DiffInputError
    from .release import ReleaseError, release

    apis = load_apis()
    parser = argparse.ArgumentParser(
        prog="python -m generator release",
        description="For each API whose document changed since its package's recorded release: diff it against that "
        "release's document (found in git by its fingerprint), bump the version by semver, write the changelog "
        "section, update generator/versions.toml and regenerate the package.",
    )
    parser.add_argument("apis", nargs="*", metavar="API", choices=[[], *apis], help="default: all")
    parser.add_argument(
        "--base",
        metavar="REV",
        help="the git revision holding the previous release's document (default: found in git by its fingerprint)",
    )
    parser.add_argument("--date", help="the release's date (default: today, UTC)")
    args = parser.parse_args(argv)
    selected = [apis[name] for name in (args.apis or apis)]
    if args.base and len(selected) != 1:
        parser.error("--base needs exactly one API")
    status = 0
    for api in selected:
        try:
            section = release(api, date=args.date, base=args.base)
        except (ReleaseError, DiffInputError, GenerationError) as error:
            print(f"generator release: {error}", file=sys.stderr)
            status = 2
            continue
        if section is None:
            print(f"generator release: generated_client.{api.package}: in line with {api.label}, nothing to release")
        else:
            print(section)
            print(
                f"generator release: generated_client.{api.package}: released; commit generator/versions.toml, "
                f"generator/changelogs/{api.name}.md and generated_client/{api.package}/ with {api.label}"
            )
    return status


def dist_main(argv: list[str]) -> int:
    """`python -m generator dist [--out DIR] [API ...]`."""
    from .dist import DIST, DistError, build_wheel

    apis = load_apis()
    parser = argparse.ArgumentParser(
        prog="python -m generator dist", description="Build each API's committed package as its own wheel."
    )
    parser.add_argument("apis", nargs="*", metavar="API", choices=[[], *apis], help="default: all")
    parser.add_argument("--out", type=Path, default=DIST, help=f"default: {DIST.relative_to(ROOT)}/")
    args = parser.parse_args(argv)
    for name in args.apis or apis:
        try:
            wheel = build_wheel(apis[name], args.out)
        except DistError as error:
            print(f"generator dist: {error}", file=sys.stderr)
            return 1
        print(wheel.relative_to(ROOT) if wheel.is_relative_to(ROOT) else wheel)
    return 0


def _release_notes(selected: list[Api]) -> None:
    # `make generate` runs while a document is being edited: say what the commit will need, without failing.
    for problem in versions.check(selected):
        print(f"generator: note: {problem}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["diff"]:
        from .diff.cli import main as diff_main

        return diff_main(argv[1:])
    if argv[:1] == ["release"]:
        return release_main(argv[1:])
    if argv[:1] == ["dist"]:
        return dist_main(argv[1:])
    apis = load_apis()
    parser = argparse.ArgumentParser(
        prog="python -m generator",
        description="Validate each OpenAPI document, generate its client into generated_client/, format it.",
        epilog="Also: `python -m generator diff OLD NEW` (what a change breaks), "
        "`python -m generator release [API ...]` (a package's version and changelog), "
        "`python -m generator dist [API ...]` (wheels); each has --help.",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="regenerate into a temporary folder and fail with a diff if generated_client/ differs, or if a "
        "document changed since its package's recorded release (generator/versions.toml)",
    )
    parser.add_argument(
        "apis", nargs="*", metavar="API", choices=[[], *apis], help=f"one of {', '.join(apis)} (default: all)"
    )
    args = parser.parse_args(argv)
    selected = [apis[name] for name in (args.apis or apis)]
    try:
        differences = generate(selected, check=args.check)
    except GenerationError as error:
        print(f"generator: {error}", file=sys.stderr)
        return 1
    names = ", ".join(api.name for api in selected)
    out_of_step = versions.check(selected) if args.check else []
    if differences:
        print("\n".join(differences), file=sys.stderr)
        print(
            f"generator: generated_client/ is out of date for {names}: run `make generate` and commit the result",
            file=sys.stderr,
        )
    if out_of_step:
        print("\n".join(f"generator: {problem}" for problem in out_of_step), file=sys.stderr)
    if differences or out_of_step:
        return 1
    if not args.check:
        _release_notes(selected)
    print(f"generator: {names}: {'up to date' if args.check else 'generated'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
