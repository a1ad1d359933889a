"""What every API's generated endpoint functions promise alike, for every operation of every API of the registry (its
table, `contract_tests/client/<api>/operations.py`), in all four forms, against respx: the table covers the document,
and an answer the document does not promise but the way to the API can send (an undocumented 4xx/5xx, a proxy's HTML
page, a documented status with a body of another shape, truncated JSON) keeps its status and body without crashing, or
raises `UnexpectedStatus` when the client asks for that."""

import pytest

from contract_tests.client.conftest import MODES, assert_kept_raw
from contract_tests.client.operations import OffContract, Operation, Operations, tables
from contract_tests.documents import load, operations

TABLES = tables()
OFF_CONTRACT = [
    pytest.param(table, operation, answer, id=f"{operation}-{answer.name}")
    for table in TABLES.values()
    for operation, answer in table.off_contract_cases()
]


@pytest.mark.parametrize("table", TABLES.values(), ids=list(TABLES))
def test_the_table_covers_every_operation_of_the_document(table: Operations) -> None:
    documented = {operation.operation_id for operation in operations(load(table.api))}
    assert {operation.operation_id for operation in table} == documented


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("table", "operation", "answer"), OFF_CONTRACT)
def test_off_contract_response_keeps_status_and_body_without_crashing(
    table: Operations, operation: Operation, answer: OffContract, mode: str
) -> None:
    result, _ = table.respond(operation, answer.respond(), mode, table.client())

    assert_kept_raw(result, mode, answer.status, answer.content, table.package.types.Response)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("table", "operation", "answer"), OFF_CONTRACT)
def test_off_contract_response_raises_unexpected_status_when_asked(
    table: Operations, operation: Operation, answer: OffContract, mode: str
) -> None:
    client = table.client(raise_on_unexpected_status=True)

    with pytest.raises(table.package.errors.UnexpectedStatus) as raised:
        table.respond(operation, answer.respond(), mode, client)

    assert raised.value.status_code == answer.status
    assert raised.value.content == answer.content
