"""How the conformance suite reaches a slurper server: credentials and account for a live one, or the simulator's.

Live: CLOUDFLARE_API_TOKEN (or CLOUDFLARE_EMAIL + CLOUDFLARE_API_KEY) and CLOUDFLARE_ACCOUNT_ID; optionally
CLOUDFLARE_ACCOUNT_ID_2, a second, disposable account the same credentials may use: with it the isolation tests run
live (a job is invisible from the other account; abortAll, sent to the second account, aborts only its jobs). abortAll
is only ever sent to the second account, and only while it has no active job the suite did not create.
"""

import os
import uuid

import pytest

from contract_tests.server.targets import Credentials, Target, TargetSettings
from mock_server.announcement import Announcement, Identity

# The variable naming a second account for the isolation tests of a live run.
SECOND_ACCOUNT = "CLOUDFLARE_ACCOUNT_ID_2"


def _token(token: str) -> Credentials:
    return Credentials(auth={"api_token": {"bearer": token}}, headers={"Authorization": f"Bearer {token}"})


def _email_and_key(email: str, key: str) -> Credentials:
    return Credentials(
        auth={"api_email": {"api_key": email}, "api_key": {"api_key": key}},
        headers={"X-Auth-Email": email, "X-Auth-Key": key},
    )


def _live_credentials() -> tuple[Credentials, ...]:
    token = os.environ.get("CLOUDFLARE_API_TOKEN")
    email, key = os.environ.get("CLOUDFLARE_EMAIL"), os.environ.get("CLOUDFLARE_API_KEY")
    found = []
    if token:
        found.append(_token(token))
    if email and key:
        found.append(_email_and_key(email, key))
    if not found:
        raise pytest.UsageError(
            "a live slurper run needs CLOUDFLARE_API_TOKEN, or CLOUDFLARE_EMAIL and CLOUDFLARE_API_KEY"
        )
    return tuple(found)


def _live_parameters() -> dict[str, str]:
    account = os.environ.get("CLOUDFLARE_ACCOUNT_ID")
    if not account:
        raise pytest.UsageError("a live slurper run needs CLOUDFLARE_ACCOUNT_ID")
    return {"account_id": account}


def second_account(target: Target) -> str | None:
    """A second account: a fresh one on the simulator (any account id is an account of its own there), the
    CLOUDFLARE_ACCOUNT_ID_2 of a live run, or None when a live run was given none."""
    if not target.live:
        return uuid.uuid4().hex
    return os.environ.get(SECOND_ACCOUNT) or None


def _credentials_of(identity: Identity) -> Credentials:
    """An announced identity as schemathesis' blocks: `Authorization: Bearer <token>`, or the e-mail and key pair."""
    headers = identity.headers
    if "Authorization" in headers:
        return _token(headers["Authorization"].removeprefix("Bearer "))
    return _email_and_key(headers["X-Auth-Email"], headers["X-Auth-Key"])


def _mock_credentials(announcement: Announcement) -> tuple[Credentials, ...]:
    return tuple(_credentials_of(identity) for identity in announcement.credentials)


def _live_environment_of_mock(announcement: Announcement) -> dict[str, str]:
    token, pair = (identity.headers for identity in announcement.credentials)
    return {
        "CLOUDFLARE_API_TOKEN": token["Authorization"].removeprefix("Bearer "),
        "CLOUDFLARE_EMAIL": pair["X-Auth-Email"],
        "CLOUDFLARE_API_KEY": pair["X-Auth-Key"],
        "CLOUDFLARE_ACCOUNT_ID": announcement.tenants[0].id,
        # Any account id is an account of the simulator: a fresh one is the second tenant.
        SECOND_ACCOUNT: uuid.uuid4().hex,
    }


SETTINGS = TargetSettings(
    api="slurper",
    live_credentials=_live_credentials,
    live_parameters=_live_parameters,
    mock_credentials=_mock_credentials,
    live_environment_of_mock=_live_environment_of_mock,
)
