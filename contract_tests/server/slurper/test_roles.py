"""Every credential scheme on every operation: an API token and the e-mail + key pair are each accepted by every
operation, and each is refused by every operation when one part of it is wrong (the token's value; the e-mail with the
right key; the key with the right e-mail), leaving the job the refused writes were aimed at as it was.

The calls are made from the document (`roles.every_operation`), so an operation added to it is probed too. A scheme
the live run was given no credentials for is skipped (CLOUDFLARE_API_TOKEN; CLOUDFLARE_EMAIL + CLOUDFLARE_API_KEY);
the simulator announces both. The tests create a job of their own (and abort and delete it at the end): against a live
server they run only with --allow-writes, and abortAll is called with right credentials only on the simulator.
"""

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from contract_tests.server import roles
from contract_tests.server.targets import Credentials, Target
from contract_tests.server.verdicts import Verdicts

API = "slurper"
CREATE, ABORT_ALL = "slurper-create-job", "slurper-abort-all-jobs"
# The writes on the suite's job, in an order each may succeed in; the reads and prechecks go before them.
JOB_WRITES = ("slurper-pause-job", "slurper-resume-job", "slurper-abort-job", "slurper-delete-job")
AUTHENTICATION_STATUSES = (400, 401, 403)
CLIENT_ERRORS = range(400, 500)

pytestmark = pytest.mark.writes


def _id_of(response: httpx.Response) -> str | None:
    try:
        result = response.json().get("result")
    except ValueError:
        return None
    return str(result["id"]) if isinstance(result, dict) and "id" in result else None


@pytest.fixture
def created(target: Target, credentials: Credentials, account: str) -> Iterator[list[str]]:
    """The jobs the test created (a refused create that a server let through included), aborted and deleted after
    it: only those, as other jobs of a live account are someone's work."""
    jobs: list[str] = []
    yield jobs
    for job_id in jobs:
        url = f"{target.base_url}/accounts/{account}/slurper/jobs/{job_id}"
        httpx.put(f"{url}/abort", headers=credentials.headers, timeout=30)
        httpx.delete(url, headers=credentials.headers, timeout=30)


def _create(target: Target, credentials: Credentials, account: str, created: list[str]) -> str:
    create = next(
        call
        for call in roles.every_operation(API, target.base_url, {"account_id": account, "job_id": "-"})
        if call.operation_id == CREATE
    )
    response = create.send(credentials.headers)
    job_id = _id_of(response)
    if job_id is not None:
        created.append(job_id)
    assert 200 <= response.status_code < 300, response.text[:300]
    assert job_id is not None, response.text[:300]
    return job_id


def _job(target: Target, credentials: Credentials, account: str, job_id: str) -> httpx.Response:
    return httpx.get(
        f"{target.base_url}/accounts/{account}/slurper/jobs/{job_id}", headers=credentials.headers, timeout=30
    )


def _status(response: httpx.Response) -> Any:
    return response.json().get("result", {}).get("status")


def test_every_operation_refuses_a_half_wrong_credential(
    target: Target, credentials: Credentials, account: str, created: list[str], verdicts: Verdicts
) -> None:
    job_id = _create(target, credentials, account, created)
    before = _status(_job(target, credentials, account, job_id))
    calls = roles.every_operation(API, target.base_url, {"account_id": account, "job_id": job_id})

    for scenario, headers in roles.half_wrong(credentials.headers).items():
        answers = {call: call.send(headers) for call in calls}
        created += [
            job for call, response in answers.items() if call.operation_id == CREATE if (job := _id_of(response))
        ]

        evidence = roles.first_evidence(answers, CLIENT_ERRORS)
        with verdicts.expecting(API, "credentials-are-enforced", evidence=evidence):
            wrong = roles.not_refused(answers, CLIENT_ERRORS)
            assert not wrong, f"with {scenario}, not refused: {wrong}"
        evidence = roles.first_evidence(answers, AUTHENTICATION_STATUSES)
        with verdicts.expecting(API, "credential-refusal-is-an-authentication-error", evidence=evidence):
            wrong = roles.not_refused(answers, AUTHENTICATION_STATUSES)
            assert not wrong, f"with {scenario}, not refused as an authentication error: {wrong}"
        # The refused writes left the job as it was: not paused, aborted or deleted (it may have completed by itself).
        after = _job(target, credentials, account, job_id)
        with verdicts.expecting(API, "credentials-are-enforced", evidence=after):
            assert after.status_code == 200, f"with {scenario} the job was deleted: {after.text[:200]}"
            assert _status(after) in {before, "completed"}, f"with {scenario} the job went {before} -> {_status(after)}"


def test_every_operation_accepts_each_scheme(
    target: Target, credentials: Credentials, account: str, created: list[str], verdicts: Verdicts
) -> None:
    job_id = _create(target, credentials, account, created)
    calls = {
        call.operation_id: call
        for call in roles.every_operation(API, target.base_url, {"account_id": account, "job_id": job_id})
    }
    reads = [name for name in calls if name not in (CREATE, ABORT_ALL, *JOB_WRITES)]
    # abortAll would abort every job of a live account, not only the suite's: it is called on the simulator only.
    order = [*reads, *JOB_WRITES, *([] if target.live else [ABORT_ALL])]

    for name in order:
        response = calls[name].send(credentials.headers)
        with verdicts.expecting(API, "either-scheme-is-accepted", evidence=response):
            assert response.status_code not in AUTHENTICATION_STATUSES, (
                f"{name} refused {' + '.join(credentials.headers)}: {response.status_code} {response.text[:200]}"
            )
            if name in reads:
                assert 200 <= response.status_code < 300, f"{name}: {response.status_code} {response.text[:200]}"
