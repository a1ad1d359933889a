"""Fixtures of Connect's tests: the content item they read (and kill jobs of), a viewer's key of it, and the
generated client, its every response held to the document."""

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from contract_tests.documents import json_sequence_media_type, match_operation
from contract_tests.server.connect.target import viewer_credentials
from contract_tests.server.report import Recorder
from contract_tests.server.targets import Credentials, Target
from contract_tests.server.verdicts import Verdicts
from generated_client.connect import AuthenticatedClient

API = "connect"


@pytest.fixture
def guid(target: Target) -> str:
    """The content item: the simulator's, or CONNECT_CONTENT_GUID of a live server."""
    return target.parameters["guid"]


@pytest.fixture
def viewer(target: Target, recorder: Recorder) -> Credentials | None:
    """A key of a mere viewer of the content (None when a live run was given none); a credential of the run, so that
    no report shows it."""
    found = viewer_credentials(target)
    if found is not None:
        recorder.secrets.update(found.secrets)
    return found


# The successes read as streams, told by operation (the tail is `application/json`, like every other answer): the
# tail's sequence of entries and the log file.
STREAMED = ("JobTailLog", "JobDownloadLog")


class ContractRecorder:
    """An httpx response hook: every response is checked against the document, and kept for later assertions.

    A streamed body (the tail, the log file) is left to the code that reads it: reading it here would wait for its
    end. Its status and Content-Type are checked here, its entries and lines by the tests.
    """

    def __init__(self, base_path: str, verdicts: Verdicts) -> None:
        self.base_path = base_path
        self.verdicts = verdicts
        self.bodies: list[str] = []

    def __call__(self, response: httpx.Response) -> None:
        operation_id = self._operation_id(response)
        sequence = json_sequence_media_type(API, operation_id, response.status_code) is not None
        if _streamed(response, operation_id):
            self.verdicts.check_response(API, operation_id, response, body=[] if sequence else "")
            return
        response.read()
        self.verdicts.check_response(API, operation_id, response)
        self.bodies.append(response.text)

    async def check_async(self, response: httpx.Response) -> None:
        """The same for an `httpx.AsyncClient` (its hooks are awaited)."""
        if not _streamed(response, self._operation_id(response)):
            await response.aread()
        self(response)

    def _operation_id(self, response: httpx.Response) -> str:
        path = response.request.url.path.removeprefix(self.base_path)
        operation = match_operation(API, response.request.method, path)
        assert operation is not None, f"{response.request.method} {path} is not in the document"
        return operation.operation_id


def _streamed(response: httpx.Response, operation_id: str) -> bool:
    return response.status_code == 200 and operation_id in STREAMED


def make_client(credentials: Credentials, recorder: ContractRecorder, base_url: str) -> Any:
    """The generated client of a key, its every response held to the document by `recorder`."""
    key = credentials.headers["Authorization"].removeprefix("Key ")
    hooks = {"event_hooks": {"response": [recorder]}}
    return AuthenticatedClient(base_url=base_url, token=key, prefix="Key", httpx_args=hooks)


@pytest.fixture
def contract_recorder(target: Target, verdicts: Verdicts) -> ContractRecorder:
    return ContractRecorder(httpx.URL(target.base_url).path.rstrip("/"), verdicts)


@pytest.fixture
def client(target: Target, contract_recorder: ContractRecorder) -> Iterator[AuthenticatedClient]:
    with make_client(target.credentials, contract_recorder, target.base_url) as client:
        yield client
