"""`python -m mock_server API [options]`: serve the simulator of one API.

Every API of the registry (generator/apis.toml) with a simulator is a subcommand, made from the `PROFILE` its package
exports (`mock_server.profile`); the options they share are `mock_server.cli`'s.
"""

import sys
from collections.abc import Sequence
from typing import Any

from mock_server import cli
from mock_server.profile import Profile, profiles


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line and run the chosen simulator.

    Args:
        argv: The arguments; sys.argv[1:] when None.

    Returns:
        The process exit code.
    """
    args = cli.parser(profiles()).parse_args(argv)
    profile: Profile[Any] = args.profile
    return cli.run(profile, args)


if __name__ == "__main__":
    sys.exit(main())
