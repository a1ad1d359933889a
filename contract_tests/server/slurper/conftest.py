"""Fixtures of the slurper's tests: one set of credentials per scheme the document allows, an account, the
generated client (every response held to the document) and the jobs a test created."""

import uuid
from collections.abc import Iterator

import httpx
import pytest

from contract_tests.documents import match_operation
from contract_tests.server.slurper.target import SECOND_ACCOUNT, second_account
from contract_tests.server.targets import Credentials, Target
from contract_tests.server.verdicts import Verdicts
from generated_client.slurper import AuthenticatedClient
from generated_client.slurper.api.r2_super_slurper import slurper_abort_job, slurper_delete_job

API = "slurper"

# Every alternative of the document's `security`: a token, or the e-mail and key pair.
SCHEMES = ("api_token", "api_email+api_key")


@pytest.fixture(params=SCHEMES)
def credentials(request: pytest.FixtureRequest, target: Target) -> Credentials:
    """The target's credentials of one scheme (a live run tests the schemes it was given credentials for)."""
    given = {"+".join(sorted(each.auth)): each for each in (target.credentials, *target.alternative_credentials)}
    if request.param not in given:
        pytest.skip(f"no {request.param} credentials were given for this live server (target.py names the variables)")
    return given[request.param]


@pytest.fixture
def account(target: Target) -> str:
    """A fresh account on the simulator (every account id is its own tenant); the given account on a live server."""
    return target.parameters.get("account_id") or uuid.uuid4().hex


@pytest.fixture
def other_account(target: Target) -> str:
    """A second account: a fresh one on the simulator, CLOUDFLARE_ACCOUNT_ID_2 on a live server (without it the test
    is skipped live)."""
    found = second_account(target)
    if found is None:
        pytest.skip(f"needs a second account the same credentials may use: set {SECOND_ACCOUNT} to run it live")
    return found


class ContractRecorder:
    """An httpx response hook: every response is checked against the document, and kept for later assertions."""

    def __init__(self, base_path: str, verdicts: Verdicts) -> None:
        self.base_path = base_path
        self.verdicts = verdicts
        self.bodies: list[str] = []

    def __call__(self, response: httpx.Response) -> None:
        response.read()
        path = response.request.url.path.removeprefix(self.base_path)
        operation = match_operation(API, response.request.method, path)
        assert operation is not None, f"{response.request.method} {path} is not in the document"
        self.verdicts.check_response(API, operation.operation_id, response)
        self.bodies.append(response.text)


def _client(base_url: str, credentials: Credentials, recorder: ContractRecorder) -> AuthenticatedClient:
    headers = dict(credentials.headers)
    if "Authorization" in headers:
        token = headers.pop("Authorization").removeprefix("Bearer ")
        return AuthenticatedClient(base_url=base_url, token=token, httpx_args={"event_hooks": {"response": [recorder]}})
    key = headers.pop("X-Auth-Key")
    return AuthenticatedClient(
        base_url=base_url,
        token=key,
        prefix="",
        auth_header_name="X-Auth-Key",
        headers=headers,
        httpx_args={"event_hooks": {"response": [recorder]}},
    )


@pytest.fixture
def recorder(
    target: Target, credentials: Credentials, verdicts: Verdicts
) -> Iterator[tuple[AuthenticatedClient, ContractRecorder]]:
    """The generated client of one credential scheme, and the hook that holds its every response to the document."""
    recorder = ContractRecorder(httpx.URL(target.base_url).path.rstrip("/"), verdicts)
    with _client(target.base_url, credentials, recorder) as client:
        yield client, recorder


@pytest.fixture
def client(recorder: tuple[AuthenticatedClient, ContractRecorder]) -> AuthenticatedClient:
    return recorder[0]


@pytest.fixture
def created(client: AuthenticatedClient) -> Iterator[list[tuple[str, str]]]:
    """The jobs a test created, aborted and deleted after it (only those: on a live account other jobs are someone's
    work)."""
    jobs: list[tuple[str, str]] = []
    yield jobs
    while jobs:
        account, job_id = jobs.pop()
        slurper_abort_job.sync_detailed(account, job_id, client=client)
        slurper_delete_job.sync_detailed(account, job_id, client=client)
