"""`python -m generator [--check] [API ...]`: regenerate the clients, or check that the committed ones are current."""

import argparse
import sys

from .pipeline import GenerationError, generate
from .registry import load_apis


def main(argv: list[str] | None = None) -> int:
    apis = load_apis()
    parser = argparse.ArgumentParser(
        prog="python -m generator",
        description="Validate each OpenAPI document, generate its client into generated_client/, format it.",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="regenerate into a temporary folder and fail with a diff if generated_client/ differs",
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
    if differences:
        print("\n".join(differences), file=sys.stderr)
        print(
            f"generator: generated_client/ is out of date for {names}: run `make generate` and commit the result",
            file=sys.stderr,
        )
        return 1
    print(f"generator: {names}: {'up to date' if args.check else 'generated'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
