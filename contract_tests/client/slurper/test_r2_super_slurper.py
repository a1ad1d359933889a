"""generated_client.slurper.api.r2_super_slurper: every operation (slurper/operations.py), in all four forms, against
respx.

Requests are checked against what the document says (method, path, query, JSON body, both auth schemes); responses
are the document's own examples, validated against it before the client sees them. What the real network sends
beyond the document (an undocumented 5xx, Cloudflare's 520, a proxy's HTML page, truncated JSON) every operation is
also sent in contract_tests/client/test_operations.py.
"""

from http import HTTPStatus

import httpx
import pytest
import respx

from contract_tests.client.conftest import MODES, contract_response, off_contract_response, sent_json
from contract_tests.client.operations import Documented, Operation
from contract_tests.client.slurper.operations import ACCOUNT, API, BASE_URL, JOB, OPERATIONS, TOKEN
from contract_tests.documents import request_example
from generated_client.slurper import AuthenticatedClient, Client
from generated_client.slurper.api.r2_super_slurper import (
    slurper_abort_all_jobs,
    slurper_create_job,
    slurper_get_job,
    slurper_list_jobs,
)
from generated_client.slurper.models import (
    CreateJobRequest,
    FailureResponse,
    GCSSource,
    JobActionResponse,
    JobCreateResponse,
    JobListResponse,
    R2Target,
)

EMAIL = "ops@example.com"
GLOBAL_KEY = "144c9defac04969c7bfad8efaa8ea194"


@pytest.fixture(params=["api_token", "email_and_key"])
def auth(request: pytest.FixtureRequest) -> tuple[AuthenticatedClient, dict[str, str]]:
    """A client for each of the two schemes, with the headers it must send."""
    if request.param == "api_token":
        return OPERATIONS.client(), {"Authorization": f"Bearer {TOKEN}"}
    client = AuthenticatedClient(
        base_url=BASE_URL, token=GLOBAL_KEY, prefix="", auth_header_name="X-Auth-Key", headers={"X-Auth-Email": EMAIL}
    )
    return client, {"X-Auth-Email": EMAIL, "X-Auth-Key": GLOBAL_KEY}


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("operation", OPERATIONS, ids=str)
def test_request_is_what_the_document_says(
    auth: tuple[AuthenticatedClient, dict[str, str]], operation: Operation, mode: str
) -> None:
    client, auth_headers = auth
    request = OPERATIONS.sent(operation, mode, client)

    assert request.method == operation.method
    assert request.url.path == f"/client/v4{operation.path}"
    assert dict(request.url.params) == operation.query
    assert sent_json(request) == operation.json
    if operation.json is not None:
        assert request.headers["Content-Type"] == "application/json"
    for name, value in auth_headers.items():
        assert request.headers[name] == value
    other_scheme = {"Authorization", "X-Auth-Key", "X-Auth-Email"} - set(auth_headers)
    assert other_scheme.isdisjoint(request.headers)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("example", OPERATIONS.documented_examples())
def test_documented_response_is_parsed_into_its_model(example: Documented, mode: str) -> None:
    operation, status, _, body = example

    result, parsed = OPERATIONS.answered(example, mode)

    expected_type = operation.result_type if status == operation.success else FailureResponse
    assert isinstance(parsed, expected_type)
    assert parsed.to_dict() == body
    if mode.endswith("_detailed"):
        assert result.status_code == HTTPStatus(status)
        assert result.content == httpx.Response(status, json=body).content


def test_520_keeps_its_number(router: respx.MockRouter, client: AuthenticatedClient) -> None:
    router.get(f"/accounts/{ACCOUNT}/slurper/jobs").mock(
        side_effect=off_contract_response(520, b"error code: 520", "text/plain")
    )

    result = slurper_list_jobs.sync_detailed(ACCOUNT, client=client)

    assert result.status_code == 520
    assert not isinstance(result.status_code, HTTPStatus)


def test_path_parameters_are_percent_encoded(router: respx.MockRouter, client: AuthenticatedClient) -> None:
    route = router.get(url__regex=r".*/slurper/jobs/[^/]+$").mock(
        side_effect=contract_response(
            API,
            "slurper-get-job",
            404,
            {
                "success": False,
                "errors": [{"code": 10404, "message": "Job not found"}],
                "messages": [],
                "result": None,
            },
        )
    )

    slurper_get_job.sync("acc/../other", "job id?", client=client)

    assert route.calls.last.request.url.raw_path == b"/client/v4/accounts/acc%2F..%2Fother/slurper/jobs/job%20id%3F"


def test_omitted_paging_parameters_are_not_sent(router: respx.MockRouter, client: AuthenticatedClient) -> None:
    route = router.get(f"/accounts/{ACCOUNT}/slurper/jobs").mock(side_effect=OPERATIONS.success("slurper-list-jobs"))

    slurper_list_jobs.sync(ACCOUNT, client=client)

    assert route.calls.last.request.url.query == b""


def test_create_job_sends_overwrite_true_by_default(router: respx.MockRouter, client: AuthenticatedClient) -> None:
    route = router.post(f"/accounts/{ACCOUNT}/slurper/jobs").mock(side_effect=OPERATIONS.success("slurper-create-job"))
    example = request_example(API, "slurper-create-job", "fromGcs")
    body = CreateJobRequest(source=GCSSource.from_dict(example["source"]), target=R2Target.from_dict(example["target"]))

    created = slurper_create_job.sync(ACCOUNT, client=client, body=body)

    assert isinstance(created, JobCreateResponse)
    assert created.result.id == JOB
    assert sent_json(route.calls.last.request)["overwrite"] is True
    assert sent_json(route.calls.last.request)["source"]["vendor"] == "gcs"


def test_job_source_variant_is_chosen_by_vendor(router: respx.MockRouter, client: AuthenticatedClient) -> None:
    router.get(f"/accounts/{ACCOUNT}/slurper/jobs").mock(side_effect=OPERATIONS.success("slurper-list-jobs"))

    jobs = slurper_list_jobs.sync(ACCOUNT, client=client)

    assert isinstance(jobs, JobListResponse)
    assert [type(job.source).__name__ for job in jobs.result] == ["JobS3Source", "JobGCSSource"]


def test_plain_client_with_legacy_headers_works(router: respx.MockRouter) -> None:
    client = Client(base_url=BASE_URL, headers={"X-Auth-Email": EMAIL, "X-Auth-Key": GLOBAL_KEY})
    route = router.put(f"/accounts/{ACCOUNT}/slurper/jobs/abortAll").mock(
        side_effect=OPERATIONS.success("slurper-abort-all-jobs")
    )

    result = slurper_abort_all_jobs.sync(ACCOUNT, client=client)

    assert isinstance(result, JobActionResponse)
    assert route.calls.last.request.headers["X-Auth-Key"] == GLOBAL_KEY


@pytest.mark.parametrize(
    "client",
    [
        AuthenticatedClient(base_url=BASE_URL, token=TOKEN),
        AuthenticatedClient(
            base_url=BASE_URL,
            token=GLOBAL_KEY,
            prefix="",
            auth_header_name="X-Auth-Key",
            headers={"X-Auth-Email": EMAIL},
        ),
        Client(base_url=BASE_URL, headers={"X-Auth-Email": EMAIL, "X-Auth-Key": GLOBAL_KEY}),
    ],
    ids=["token", "email-key", "plain-headers"],
)
def test_client_repr_never_shows_credentials(client: Client) -> None:
    shown = f"{client!r} {client!s}"
    assert TOKEN not in shown
    assert GLOBAL_KEY not in shown
    assert BASE_URL in shown
