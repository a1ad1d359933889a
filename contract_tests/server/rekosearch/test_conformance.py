"""The RekoSearch document against a server: the shared conformance tests (contract_tests/server/conformance.py),
every operation through schemathesis' phases, then walks along the document's links (list -> get -> get-object-url ->
delete -> get), with RekoSearch's own part (`checks.conformance`).

Two built-in checks do not fit an RPC-style API behind API Gateway and are replaced, not dropped:

- `unsupported_method` wants 405 for a method a path does not have; API Gateway's routing answers 404
  `{"message": "Not Found"}` (reference §6.5), which `unknown_route_is_not_found` insists on instead.
- `use_after_free` only follows resources named by path parameters, and RekoSearch names a job in the query string
  (`job-id`), so it never applies; `rpc_use_after_free` does the same with `job-id`: right after every successful
  jobs/delete (in any phase, the walks' linked ones included), jobs/get of that job must be 404.
"""

from contract_tests.server.conformance import leave_nothing_behind, test_operation_conforms, test_stateful_links

__all__ = ["leave_nothing_behind", "test_operation_conforms", "test_stateful_links"]
