"""The slurper document against a server: the shared conformance tests (contract_tests/server/conformance.py), every
operation through schemathesis' phases, then walks along the document's links (create -> get / progress / logs /
pause / resume / abort / delete), with the slurper's own part (`checks.conformance`)."""

from contract_tests.server.conformance import leave_nothing_behind, test_operation_conforms, test_stateful_links

__all__ = ["leave_nothing_behind", "test_operation_conforms", "test_stateful_links"]
