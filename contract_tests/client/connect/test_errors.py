"""Connect's own typed errors: a job without an error is a 204, which `unwrap` and `raise_on_error` give as None (the
errors every package raises alike: contract_tests/client/runtime/test_errors.py)."""

import httpx
import respx

from contract_tests.client.connect.calls import GUID, KEY, URL
from generated_client import connect
from generated_client.connect.api.jobs import job_error


def test_a_connect_204_without_error_unwraps_to_none() -> None:
    with respx.mock() as router:
        router.get(f"{URL}/v1/content/{GUID}/jobs/{KEY}/error").mock(return_value=httpx.Response(204))
        client = connect.AuthenticatedClient(base_url=URL, token="k", prefix="Key")
        assert connect.unwrap(job_error.sync_detailed(GUID, KEY, client=client)) is None
        strict = connect.AuthenticatedClient(base_url=URL, token="k", prefix="Key", raise_on_error=True)
        assert job_error.sync(GUID, KEY, client=strict) is None
