"""Fixtures of RekoSearch's tests: the generated client of a user, its every response held to the document and
kept, and the suite's own caller."""

from collections.abc import Callable, Iterator

import httpx
import pytest

from contract_tests.documents import match_operation
from contract_tests.server.rekosearch.target import User, demo_users, fresh_user
from contract_tests.server.report import Recorder
from contract_tests.server.run import Run
from contract_tests.server.targets import Target
from contract_tests.server.verdicts import Verdicts
from generated_client.rekosearch import AuthenticatedClient

API = "rekosearch"


class ContractRecorder:
    """An httpx response hook: every response is checked against the document, and kept for later assertions."""

    def __init__(self, verdicts: Verdicts) -> None:
        self.verdicts = verdicts
        self.bodies: list[str] = []

    def __call__(self, response: httpx.Response) -> None:
        response.read()
        operation = match_operation(API, response.request.method, response.request.url.path)
        assert operation is not None, f"{response.request.method} {response.request.url.path} is not in the document"
        self.verdicts.check_response(API, operation.operation_id, response)
        self.bodies.append(response.text)


@pytest.fixture(scope="module")
def responses(run: Run) -> ContractRecorder:
    """Every response of one test module's tests, checked on the way and kept (`test_no_token_ever_comes_back`
    searches all of its module's)."""
    return ContractRecorder(run.verdicts)


@pytest.fixture
def client_for(
    target: Target, responses: ContractRecorder, recorder: Recorder
) -> Callable[[User], AuthenticatedClient]:
    """Makes the client of a user: its token redacted from everything the run writes, every response checked."""

    def client(user: User) -> AuthenticatedClient:
        recorder.secrets.add(user.token)
        # The token goes bare: `Authorization: <token>`.
        return AuthenticatedClient(
            base_url=target.base_url, token=user.token, prefix="", httpx_args={"event_hooks": {"response": [responses]}}
        )

    return client


@pytest.fixture
def caller(
    target: Target, client_for: Callable[[User], AuthenticatedClient]
) -> Iterator[tuple[AuthenticatedClient, User]]:
    """The suite's own user: the live user, or a new simulator user nobody else touches."""
    user = demo_users(target)[0] if target.live else fresh_user(target)
    with client_for(user) as client:
        yield client, user
