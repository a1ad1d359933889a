"""How the conformance suite reaches a Connect server: an API key and a content item of a live one (CONNECT_API_KEY,
CONNECT_CONTENT_GUID; optionally CONNECT_VIEWER_API_KEY, a key of a mere viewer of that content, and
CONNECT_CONTENT_GUID_2, a second content item the same key may see, whose jobs a kill must leave alone), or the
simulator's (its second content item is the second tenant).

The embedded simulator runs on a fast clock (a job writes a line every 50 ms, exits after 10 lines and is finalized
250 ms later) so that tails end within the suite's stream deadline, and every run pins `guid` to one content item:
a random GUID names no content, and nothing else would lead the stateful phase to real jobs. Against a live server
schemathesis never kills (`live_fuzzed_writes=False`); only the lifecycle tests do, with --allow-writes.
"""

import os

import pytest

from contract_tests.server.targets import Credentials, Target, TargetSettings
from mock_server.announcement import Announcement, Identity

# How long the suite reads any response body: long enough for the simulator's jobs to be finalized, and for a live
# tail to show it streams; a tail still open after it is cut and judged by `checks.tail_ends_once_finalized`.
MOCK_STREAM_DEADLINE = 1.5
LIVE_STREAM_DEADLINE = 10.0
# The variable naming a second content item for the isolation tests of a live run.
SECOND_CONTENT = "CONNECT_CONTENT_GUID_2"


def key_credentials(key: str) -> Credentials:
    """The credentials of one Connect API key (schemathesis wants the whole header value, prefix included)."""
    return Credentials(auth={"apiKey": {"api_key": f"Key {key}"}}, headers={"Authorization": f"Key {key}"})


def _live_credentials() -> tuple[Credentials, ...]:
    key = os.environ.get("CONNECT_API_KEY")
    if not key:
        raise pytest.UsageError(
            "a live connect run needs CONNECT_API_KEY (a key of the content's owner or collaborator)"
        )
    return (key_credentials(key),)


def _live_parameters() -> dict[str, str]:
    guid = os.environ.get("CONNECT_CONTENT_GUID")
    if not guid:
        raise pytest.UsageError("a live connect run needs CONNECT_CONTENT_GUID")
    return {"guid": guid}


def _key_of(identity: Identity) -> str:
    return identity.headers["Authorization"].removeprefix("Key ")


def _mock_credentials(announcement: Announcement) -> tuple[Credentials, ...]:
    # Every key that may use the jobs operations: the owner's first; the viewer's is for the tests that it may not.
    permitted = [identity for identity in announcement.credentials if identity.role != "viewer"]
    return tuple(key_credentials(_key_of(identity)) for identity in permitted)


def _mock_parameters(announcement: Announcement) -> dict[str, str]:
    return {"guid": announcement.tenants[0].id}


def viewer_credentials(target: Target) -> Credentials | None:
    """A key of a viewer of the content: the simulator's, or CONNECT_VIEWER_API_KEY for a live server."""
    if target.live:
        key = os.environ.get("CONNECT_VIEWER_API_KEY")
        return key_credentials(key) if key else None
    return key_credentials(_key_of(target.announced.identity(role="viewer")))


def second_content(target: Target) -> str | None:
    """A second content item: the simulator's second one, CONNECT_CONTENT_GUID_2 of a live run, or None when a live
    run was given none."""
    if target.live:
        return os.environ.get(SECOND_CONTENT) or None
    return target.announced.tenants[1].id


def stream_deadline(target: Target) -> float:
    """How long any response body is read."""
    return LIVE_STREAM_DEADLINE if target.live else MOCK_STREAM_DEADLINE


def _live_environment_of_mock(announcement: Announcement) -> dict[str, str]:
    return {
        "CONNECT_API_KEY": _key_of(announcement.identity(role="owner")),
        "CONNECT_VIEWER_API_KEY": _key_of(announcement.identity(role="viewer")),
        "CONNECT_CONTENT_GUID": announcement.tenants[0].id,
        SECOND_CONTENT: announcement.tenants[1].id,
    }


SETTINGS = TargetSettings(
    api="connect",
    live_credentials=_live_credentials,
    live_parameters=_live_parameters,
    mock_credentials=_mock_credentials,
    write_methods=("DELETE",),
    # A generated or linked kill on a live server would end the content's real processes over and over, and walks
    # there meet a state that moves on by itself, which Hypothesis cannot replay. With --allow-writes a live run
    # kills one running job, in the lifecycle test; the stateful phase runs on the simulator.
    live_fuzzed_writes=False,
    mock_arguments=("--line-interval", "0.05", "--job-lines", "10", "--finalize-delay", "0.25"),
    mock_parameters=_mock_parameters,
    live_environment_of_mock=_live_environment_of_mock,
)
