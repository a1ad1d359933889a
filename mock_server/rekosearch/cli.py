"""The `rekosearch` subcommand: `python -m mock_server rekosearch [options]`.

The first demo user's token comes from --token, else from MOCK_REKOSEARCH_TOKEN, else from the fixed default in
`mock_server.rekosearch.settings`. The tokens are mock credentials and are printed in the start-up line.
`--new-user-endpoint` adds the simulator's own `POST /_simulator/users` (not part of the API;
`mock_server.rekosearch.app` says what it does), and the start-up line then says where it is.
"""

import argparse
import os
import sys
from typing import Any

from mock_server import serving
from mock_server.rekosearch.app import NEW_USER_PATH, create_app, rekosearch_document
from mock_server.rekosearch.jobs import User
from mock_server.rekosearch.settings import DEFAULT_TOKEN, RekoSearchSettings

API = "rekosearch"
DEFAULT_PORT = 8789


def register(subcommands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add the `rekosearch` subcommand.

    Args:
        subcommands: The subparsers of `python -m mock_server`.
    """
    parser = subcommands.add_parser(
        API,
        help="the RekoSearch jobs API (openapi/rekosearch.yaml)",
        description="Serve a stateful simulator of the RekoSearch jobs API (/api/v1/jobs/...) at the server root.",
    )
    serving.add_server_arguments(parser, default_port=DEFAULT_PORT)
    parser.add_argument("--token", help="the first demo user's token (env MOCK_REKOSEARCH_TOKEN)")
    parser.add_argument(
        "--new-user-endpoint",
        action="store_true",
        help=f"also serve POST {NEW_USER_PATH}, which is not part of the API: it makes a user with the standard "
        "jobs and answers with its token (for test suites that need users of their own)",
    )
    parser.add_argument(
        "--strict", action="store_true", help="validate every response against the document (a violation is a 500)"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Serve the simulator until stopped.

    Args:
        args: The parsed command line.

    Returns:
        The process exit code.
    """
    token = args.token or os.environ.get("MOCK_REKOSEARCH_TOKEN") or DEFAULT_TOKEN
    settings = RekoSearchSettings(
        token=token,
        strict=args.strict,
        new_user_endpoint=args.new_user_endpoint,
        faults=serving.fault_settings(args),
    )
    try:
        app = create_app(settings)
    except ValueError as error:
        print(f"mock_server rekosearch: {error}", file=sys.stderr)
        return 2
    demo_users: list[User] = app.state.demo_users

    def announcement(origin: str) -> dict[str, Any]:
        described: dict[str, Any] = {
            "api": API,
            "base_url": origin + rekosearch_document().base_path,
            "users": [
                {"user_id": user.user_id, "email": user.email, "token": user.token, "jobs": sorted(user.jobs)}
                for user in demo_users
            ],
        }
        if settings.new_user_endpoint:
            described["new_user"] = f"POST {origin}{NEW_USER_PATH}"
        described["strict"] = settings.strict
        described["faults"] = settings.faults.describe()
        return described

    return serving.serve(app, host=args.host, port=args.port, announcement=announcement)
