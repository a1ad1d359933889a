"""What the slurper adds to the shared conformance tests (`conformance`): its own check, a walk's account of its own,
and the jobs the tests created aborted and deleted at the end.

Slurper facts the schema cannot express, checked on every response that carries a job or its progress. Both are
assumed (openapi/slurper.yaml, `x-facts`):

- `finished-at-marks-the-end`: an active job (`running`, `paused`) has no `finishedAt`; a completed job has one.
- `counters-add-up`: `transferredObjects + failedObjects + skippedObjects <= objects` (one set of objects).
"""

import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import httpx
from schemathesis.specs.openapi.checks import ignored_auth

from contract_tests.server.conformance import Conformance
from contract_tests.server.report import Recorder
from contract_tests.server.targets import Target
from contract_tests.server.verdicts import enforces, violated

ACTIVE = frozenset({"running", "paused"})


def _jobs(result: Any) -> list[dict[str, Any]]:
    items = result if isinstance(result, list) else [result]
    return [item for item in items if isinstance(item, dict) and "status" in item]


@enforces("finished-at-marks-the-end")
def job_invariants(ctx: Any, response: Any, case: Any) -> bool | None:
    if response.status_code >= 300:
        return None
    try:
        body = response.json()
    except ValueError:
        return None
    for job in _jobs(body.get("result") if isinstance(body, dict) else None):
        status = job.get("status")
        if "finishedAt" in job:
            if status in ACTIVE:
                assert job["finishedAt"] is None, (
                    f"job {job.get('id')} is {status} but has finishedAt {job['finishedAt']}"
                )
            if status == "completed":
                assert job["finishedAt"] is not None, f"job {job.get('id')} is completed without finishedAt"
        counters = [job.get(name) for name in ("transferredObjects", "failedObjects", "skippedObjects", "objects")]
        if all(isinstance(value, int) for value in counters):
            transferred, failed, skipped, objects = counters
            if transferred + failed + skipped > objects:
                raise violated(
                    "slurper",
                    "counters-add-up",
                    f"job {job.get('id')}: transferred {transferred} + failed {failed} + skipped {skipped}"
                    f" > objects {objects}",
                )
    return None


def conformance(target: Target, recorder: Recorder) -> Conformance:
    """The slurper's part of the shared conformance tests against `target`.

    schemathesis' `ignored_auth` is replaced by the shared `credentials_are_enforced`: Cloudflare refuses missing
    credentials with 400, which `ignored_auth` rejects. Every walk gets an account of its own: a walk replayed by
    Hypothesis then meets the same server state, and jobs left by earlier walks (the concurrency cap) cannot change what
    it sees. Every job a test created is aborted and deleted at the end: on a live account (with --allow-writes) it
    would count against the account's concurrency limit.
    """
    created: set[tuple[str, str]] = set()

    def remember_created_job(case: Any, response: Any) -> None:
        if case.operation.label == "POST /accounts/{account_id}/slurper/jobs" and response.status_code == 201:
            created.add((case.path_parameters["account_id"], response.json()["result"]["id"]))

    def abort_and_delete_created_jobs() -> None:
        with httpx.Client(base_url=target.base_url, headers=target.credentials.headers, timeout=30) as client:
            for account, job_id in sorted(created):
                path = f"/accounts/{quote(account, safe='')}/slurper/jobs/{quote(job_id, safe='')}"
                client.put(f"{path}/abort")
                client.delete(path)
        created.clear()

    def start_walk() -> Callable[[Any], None]:
        account = target.parameters.get("account_id") or uuid.uuid4().hex

        def in_the_walks_account(case: Any) -> None:
            if "account_id" in case.path_parameters:
                case.path_parameters["account_id"] = account

        return in_the_walks_account

    return Conformance(
        checks=[job_invariants],
        excluded=[ignored_auth],
        after_call=remember_created_job,
        start_walk=start_walk,
        finish=abort_and_delete_created_jobs,
    )
