"""The slurper's subcommand, `python -m mock_server slurper [options]`: its `PROFILE`.

Credentials come from the options, else from MOCK_SLURPER_TOKEN, MOCK_SLURPER_EMAIL and MOCK_SLURPER_KEY, else from
the fixed defaults in `mock_server.slurper.auth`. They are mock credentials and are printed in the start-up line: the
token first, then the e-mail and global API key pair; the tenants are the seeded accounts with their job ids, and
`details` has `max_concurrent_jobs`.
"""

import argparse

from starlette.applications import Starlette

from mock_server.announcement import Identity, Tenant
from mock_server.cli import option_or_environment, positive_int
from mock_server.profile import Introduction, Profile
from mock_server.slurper.app import SlurperApi, create_app
from mock_server.slurper.auth import DEFAULT_EMAIL, DEFAULT_KEY, DEFAULT_TOKEN, Credentials
from mock_server.slurper.jobs import DEFAULT_MAX_CONCURRENT_JOBS
from mock_server.slurper.settings import SlurperSettings


class SlurperProfile(Profile[SlurperSettings]):
    """The slurper's simulator on the command line."""

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--token", help="the accepted API token (env MOCK_SLURPER_TOKEN)")
        parser.add_argument("--email", help="the accepted X-Auth-Email (env MOCK_SLURPER_EMAIL)")
        parser.add_argument("--key", help="the accepted X-Auth-Key (env MOCK_SLURPER_KEY)")
        parser.add_argument(
            "--max-concurrent-jobs",
            type=positive_int,
            default=DEFAULT_MAX_CONCURRENT_JOBS,
            help="how many running or paused jobs an account may have (default: %(default)s)",
        )

    def settings(self, args: argparse.Namespace) -> SlurperSettings:
        credentials = Credentials(
            token=option_or_environment(args.token, "MOCK_SLURPER_TOKEN", DEFAULT_TOKEN),
            email=option_or_environment(args.email, "MOCK_SLURPER_EMAIL", DEFAULT_EMAIL),
            key=option_or_environment(args.key, "MOCK_SLURPER_KEY", DEFAULT_KEY),
        )
        return SlurperSettings(credentials=credentials, max_concurrent_jobs=args.max_concurrent_jobs)

    def introduce(self, app: Starlette, settings: SlurperSettings, origin: str) -> Introduction:
        credentials = settings.credentials
        demo_jobs: dict[str, list[str]] = app.state.demo_jobs
        return Introduction(
            credentials=(
                Identity("token", {"Authorization": f"Bearer {credentials.token}"}),
                Identity("email+key", {"X-Auth-Email": credentials.email, "X-Auth-Key": credentials.key}),
            ),
            tenants=tuple(Tenant(account, tuple(jobs)) for account, jobs in demo_jobs.items()),
            details={"max_concurrent_jobs": settings.max_concurrent_jobs},
        )


PROFILE = SlurperProfile(
    SlurperApi,
    create_app,
    default_port=8787,
    description="Serve a stateful simulator of the Cloudflare R2 Super Slurper API under /client/v4.",
)
