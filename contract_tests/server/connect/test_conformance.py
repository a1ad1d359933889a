"""The Connect document against a server: the shared conformance tests (contract_tests/server/conformance.py), every
operation through schemathesis' examples, coverage and fuzzing phases, then walks along the document's links (list ->
get -> log / error / download / tail / kill), with Connect's own part (`checks.conformance`).

What is Connect's own: every request goes through `streams.BoundedSession`, so a tail is read for at most the
target's stream deadline and nothing waits for a stream that never ends (`tail_ends_once_finalized` then judges the
tails that were cut short), and every walk starts once the app runs a process again.
"""

from contract_tests.server.conformance import leave_nothing_behind, test_operation_conforms, test_stateful_links

__all__ = ["leave_nothing_behind", "test_operation_conforms", "test_stateful_links"]
