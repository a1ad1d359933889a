"""RekoSearch's subcommand, `python -m mock_server rekosearch [options]`: its `PROFILE`.

The first demo user's token comes from --token, else from MOCK_REKOSEARCH_TOKEN, else from the fixed default in
`mock_server.rekosearch.settings`. The tokens are mock credentials and are printed in the start-up line, one identity
per demo user (its tenant: the user's id); the tenants are the demo users with their job ids.
`--new-user-endpoint` adds the simulator's own `POST /_simulator/users` (not part of the API;
`mock_server.rekosearch.app` says what it does), and the start-up line's `details` then say where it is (`new_user`).
"""

import argparse

from starlette.applications import Starlette

from mock_server.announcement import Identity, Tenant
from mock_server.cli import option_or_environment
from mock_server.profile import Introduction, Profile
from mock_server.rekosearch.app import NEW_USER_PATH, RekoSearchApi, create_app
from mock_server.rekosearch.jobs import User
from mock_server.rekosearch.settings import DEFAULT_TOKEN, RekoSearchSettings


class RekoSearchProfile(Profile[RekoSearchSettings]):
    """RekoSearch's simulator on the command line."""

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--token", help="the first demo user's token (env MOCK_REKOSEARCH_TOKEN)")
        parser.add_argument(
            "--new-user-endpoint",
            action="store_true",
            help=f"also serve POST {NEW_USER_PATH}, which is not part of the API: it makes a user with the standard "
            "jobs and answers with its token (for test suites that need users of their own)",
        )

    def settings(self, args: argparse.Namespace) -> RekoSearchSettings:
        token = option_or_environment(args.token, "MOCK_REKOSEARCH_TOKEN", DEFAULT_TOKEN)
        return RekoSearchSettings(token=token, new_user_endpoint=args.new_user_endpoint)

    def introduce(self, app: Starlette, settings: RekoSearchSettings, origin: str) -> Introduction:
        demo_users: list[User] = app.state.demo_users
        return Introduction(
            credentials=tuple(
                Identity(user.email, {"Authorization": user.token}, tenant=user.user_id) for user in demo_users
            ),
            tenants=tuple(Tenant(user.user_id, tuple(sorted(user.jobs))) for user in demo_users),
            details={"new_user": f"POST {origin}{NEW_USER_PATH}"} if settings.new_user_endpoint else {},
        )


PROFILE = RekoSearchProfile(
    RekoSearchApi,
    create_app,
    default_port=8789,
    description="Serve a stateful simulator of the RekoSearch jobs API (/api/v1/jobs/...) at the server root.",
)
