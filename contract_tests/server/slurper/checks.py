"""Slurper facts the schema cannot express, checked on every response that carries a job or its progress. Both are
assumed (openapi/slurper.yaml, `x-facts`):

- `finished-at-marks-the-end`: an active job (`running`, `paused`) has no `finishedAt`; a completed job has one.
- `counters-add-up`: `transferredObjects + failedObjects + skippedObjects <= objects` (one set of objects).
"""

from typing import Any

from contract_tests.server.verdicts import enforces, violated

ACTIVE = {"running", "paused"}


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
