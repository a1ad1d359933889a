"""`python -m generator diff OLD NEW` and `python -m generator diff --base REV [API ...]` (`make diff`)."""

import argparse
import subprocess
import sys
from pathlib import Path

from ..registry import ROOT, Api, load_apis
from .documents import DiffInputError, read_side
from .render import as_json, markdown
from .report import Report, compare


def default_base(cwd: Path = ROOT) -> str:
    """The merge base with `origin/main` when there is one, else `HEAD`."""
    try:
        result = subprocess.run(
            ["git", "merge-base", "origin/main", "HEAD"],  # noqa: S607 - git from PATH
            cwd=cwd,
            capture_output=True,
            text=True,
            check=False,
        )
    except FileNotFoundError:
        return "HEAD"
    return result.stdout.strip() if result.returncode == 0 and result.stdout.strip() else "HEAD"


def _in_git(spec: str, cwd: Path) -> bool:
    result = subprocess.run(["git", "cat-file", "-e", spec], cwd=cwd, capture_output=True, check=False)  # noqa: S603, S607
    return result.returncode == 0


def infer_api(paths: list[str], apis: dict[str, Api], cwd: Path) -> Api | None:
    """The API whose document the paths are: by its path in the repository, else by the file's name."""
    for path in paths:
        candidate = (cwd / path).resolve()
        relative = candidate.relative_to(ROOT).as_posix() if candidate.is_relative_to(ROOT) else path
        for api in apis.values():
            if relative == api.label or path == api.label:
                return api
    for path in paths:
        for api in apis.values():
            if Path(path).stem == api.name:
                return api
    return None


def _parser(apis: dict[str, Api]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m generator diff",
        description=(
            "What changed between two versions of an OpenAPI document: per change, where (operation, JSON pointer), "
            "its level (breaking, warning, info), what it breaks (wire: clients generated from the old document; "
            "code: programs written against the old package) and the generated code it touches. "
            "Exit status: 1 when anything breaks, 0 otherwise, 2 on unusable input."
        ),
    )
    parser.add_argument(
        "sides",
        nargs="*",
        metavar="SIDE",
        help="OLD NEW: each a document's path or a git `REV:path`; with --base: API names (default: all)",
    )
    parser.add_argument(
        "--base",
        metavar="REV",
        help="compare each API's document in the working copy with git revision REV's (an empty REV: the merge "
        "base with origin/main when there is one, else HEAD)",
    )
    parser.add_argument(
        "--api",
        choices=list(apis),
        help="the API whose package both sides are generated as (default: told by the documents' paths)",
    )
    parser.add_argument("--format", choices=["markdown", "json"], default="markdown", help="default: markdown")
    parser.add_argument(
        "--no-code", action="store_true", help="the wire rules alone: do not generate and compare the code"
    )
    return parser


def reports(argv: list[str], cwd: Path) -> tuple[list[Report], str]:
    """The reports a command line asks for, and its format.

    Raises:
        DiffInputError: Unusable input.
    """
    apis = load_apis()
    parser = _parser(apis)
    args = parser.parse_args(argv)
    if args.base is None:
        if len(args.sides) != 2:
            parser.error("give OLD and NEW, or --base REV")
        old, new = (read_side(side, cwd) for side in args.sides)
        api = apis[args.api] if args.api else infer_api([new.path, old.path], apis, cwd)
        if api is None and not args.no_code:
            raise DiffInputError(
                f"cannot tell which API {args.sides[1]} documents (its path is none of "
                f"{', '.join(api.label for api in apis.values())}): pass --api NAME, or --no-code for the wire "
                "rules alone"
            )
        return [compare(old, new, api, code=not args.no_code)], args.format
    unknown = [name for name in args.sides if name not in apis]
    if unknown:
        parser.error(f"unknown API {', '.join(unknown)} (one of {', '.join(apis)})")
    base = args.base or default_base(ROOT)
    if not _in_git(f"{base}^{{commit}}", ROOT):
        raise DiffInputError(f"{base}: no such git revision")
    found = []
    for name in args.sides or list(apis):
        api = apis[name]
        if not _in_git(f"{base}:{api.label}", ROOT):
            print(f"generator diff: {api.label} is not in {base}: a new document, nothing to compare", file=sys.stderr)
            continue
        old, new = read_side(f"{base}:{api.label}", ROOT), read_side(api.label, ROOT)
        found.append(compare(old, new, api, code=not args.no_code))
    return found, args.format


def main(argv: list[str], cwd: Path | None = None) -> int:
    """Run the command; print the report.

    Returns:
        1 when anything breaks (wire or code), 0 otherwise, 2 on unusable input.
    """
    try:
        found, output = reports(argv, cwd or Path.cwd())
    except DiffInputError as error:
        print(f"generator diff: {error}", file=sys.stderr)
        return 2
    print(as_json(found) if output == "json" else markdown(found), end="")
    return 1 if any(report.breaks for report in found) else 0
