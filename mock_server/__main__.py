"""`python -m mock_server API [options]`: serve the simulator of one API.

Each API is a subcommand registered by its own `cli` module; adding an API is one more `register` call below.
"""

import argparse
import sys
from collections.abc import Sequence

from mock_server.connect import cli as connect_cli
from mock_server.rekosearch import cli as rekosearch_cli
from mock_server.slurper import cli as slurper_cli


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line and run the chosen simulator.

    Args:
        argv: The arguments; sys.argv[1:] when None.

    Returns:
        The process exit code.
    """
    parser = argparse.ArgumentParser(
        prog="python -m mock_server", description="Serve a stateful simulator of one of the project's APIs."
    )
    subcommands = parser.add_subparsers(title="APIs", metavar="API", required=True)
    slurper_cli.register(subcommands)
    rekosearch_cli.register(subcommands)
    connect_cli.register(subcommands)
    args = parser.parse_args(argv)
    exit_code: int = args.run(args)
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
