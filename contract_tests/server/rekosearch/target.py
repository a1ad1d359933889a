"""How the conformance suite reaches a RekoSearch server: a token and a job for a live one, or the simulator's users.

Live (`--base-url https://rekosearch.com`): REKOSEARCH_TOKEN is the user's Cognito token (sent bare, as the API
wants it) and REKOSEARCH_JOB_ID one of that user's jobs. The read-only tests read that job; with --allow-writes the
lifecycle tests also delete it, at the very end, and it is the only job the suite ever deletes: RekoSearch job ids
are small per-user sequential numbers, so a generated or linked `jobs/delete` would hit the user's real jobs, and
schemathesis never calls it on a live server (`live_fuzzed_writes=False`). Optionally REKOSEARCH_TOKEN_2, the token of
another user: with it the isolation tests run live (the other user's jobs are not found, and a delete leaves them as
they were); that user's jobs are only read, never deleted.

Simulator: the demo users it announces (the first one is the suite's caller) and, for tests that change state, a
user of their own (`fresh_user`): the embedded simulator is started with `--new-user-endpoint`, which adds its own
`POST /_simulator/users` (not part of the API, and never sent to a live server).
"""

import os
import re
from dataclasses import dataclass

import httpx
import pytest

from contract_tests.server.targets import Credentials, Target, TargetSettings
from mock_server.announcement import Announcement

API = "rekosearch"
# The variable naming another user's token for the isolation tests of a live run.
SECOND_TOKEN = "REKOSEARCH_TOKEN_2"
_JOB_ID = re.compile(r"[1-9][0-9]*")


def credentials(token: str) -> Credentials:
    """A token as schemathesis' `[auth.openapi.token]` block and as the raw header.

    Args:
        token: The user's token.

    Returns:
        The credentials; the header carries the token bare.
    """
    return Credentials(auth={"token": {"api_key": token}}, headers={"Authorization": token})


def _live_credentials() -> tuple[Credentials, ...]:
    token = os.environ.get("REKOSEARCH_TOKEN")
    if not token:
        raise pytest.UsageError("a live rekosearch run needs REKOSEARCH_TOKEN (the user's Cognito token)")
    return (credentials(token),)


def live_job_id() -> int:
    """The job a live run reads (and, with --allow-writes, deletes last): REKOSEARCH_JOB_ID.

    Returns:
        The job id.

    Raises:
        pytest.UsageError: It is not set, or not a job id.
    """
    job_id = os.environ.get("REKOSEARCH_JOB_ID", "")
    if not _JOB_ID.fullmatch(job_id):
        raise pytest.UsageError("a live rekosearch run needs REKOSEARCH_JOB_ID, the id of one of the user's jobs")
    return int(job_id)


def _live_parameters() -> dict[str, str]:
    # Checked up front so that a run without it stops before sending anything; it is not pinned for schemathesis,
    # which explores job ids freely (reading is harmless).
    live_job_id()
    return {}


def _mock_credentials(announcement: Announcement) -> tuple[Credentials, ...]:
    return tuple(credentials(identity.headers["Authorization"]) for identity in announcement.credentials)


def _live_environment_of_mock(announcement: Announcement) -> dict[str, str]:
    user = demo_users_of(announcement)[0]
    second = demo_users_of(announcement)[1]
    return {"REKOSEARCH_TOKEN": user.token, "REKOSEARCH_JOB_ID": str(user.jobs[1]), SECOND_TOKEN: second.token}


SETTINGS = TargetSettings(
    api=API,
    live_credentials=_live_credentials,
    live_parameters=_live_parameters,
    mock_credentials=_mock_credentials,
    live_fuzzed_writes=False,
    mock_arguments=("--new-user-endpoint",),
    live_environment_of_mock=_live_environment_of_mock,
)


@dataclass(frozen=True)
class User:
    """A user the suite can act as.

    Attributes:
        token: The user's token.
        user_id: The user id, when known in advance (the simulator's users); None for a live user.
        jobs: The user's job ids known in advance.
    """

    token: str
    user_id: str | None
    jobs: tuple[int, ...]

    @property
    def credentials(self) -> Credentials:
        return credentials(self.token)


def demo_users(target: Target) -> list[User]:
    """The users a target starts with: the simulator's demo users, or the live user with the given job.

    Args:
        target: The target.

    Returns:
        The users, the suite's caller first.
    """
    if target.live:
        return [User(target.credentials.headers["Authorization"], None, (live_job_id(),))]
    return demo_users_of(target.announced)


def demo_users_of(announcement: Announcement) -> list[User]:
    """The users a simulator announced: each token's identity with the tenant (the user) it sees.

    Args:
        announcement: The simulator's start-up line.

    Returns:
        The users, in the order announced.
    """
    return [
        User(identity.headers["Authorization"], tenant.id, tuple(int(job) for job in tenant.jobs))
        for identity in announcement.credentials
        for tenant in announcement.tenants
        if identity.tenant == tenant.id
    ]


def second_user(target: Target) -> User | None:
    """Another user than the suite's caller: a new simulator user, or the REKOSEARCH_TOKEN_2 user of a live run (its
    id and jobs not known in advance), or None when a live run was given none."""
    if not target.live:
        return fresh_user(target)
    token = os.environ.get(SECOND_TOKEN)
    return User(token, None, ()) if token else None


def fresh_user(target: Target) -> User:
    """A user nobody else has touched, with the simulator's standard jobs.

    Args:
        target: A simulator target started with `--new-user-endpoint` (a live server has no way to make users).

    Returns:
        The new user.
    """
    assert not target.live, "a live server has no way to make users"
    method, url = target.announced.details["new_user"].split(" ", 1)
    response = httpx.request(method, url, timeout=30)
    response.raise_for_status()
    created = response.json()
    return User(created["token"], created["user_id"], tuple(created["jobs"]))
