"""The documents themselves: valid OpenAPI, codegen-friendly, complete, and every example true to its schema."""

import pytest
from openapi_spec_validator import OpenAPIV31SpecValidator

from contract_tests.documents import document_paths, examples, load, operations, resolve, validator
from generator.lint import lint

APIS = [path.stem for path in document_paths()]


@pytest.mark.parametrize("api", APIS)
def test_document_is_valid_openapi_31(api: str) -> None:
    document = load(api)
    assert document["openapi"].startswith("3.1.")
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in OpenAPIV31SpecValidator(document).iter_errors()]
    assert errors == []


@pytest.mark.parametrize("api", APIS)
def test_document_follows_the_codegen_rules(api: str) -> None:
    assert lint(load(api)) == []


@pytest.mark.parametrize("api", APIS)
def test_every_operation_is_named_tagged_summarised_and_exemplified(api: str) -> None:
    document = load(api)
    problems = []
    for operation in operations(document):
        spec = operation.spec
        name = f"{operation.method.upper()} {operation.path}"
        for key in ("operationId", "summary", "description"):
            if not spec.get(key):
                problems.append(f"{name}: no {key}")
        if len(spec.get("tags", [])) != 1:
            problems.append(f"{name}: needs exactly one tag")
        body = spec.get("requestBody")
        if body is not None:
            for media_type, media in body["content"].items():
                if not media.get("examples"):
                    problems.append(f"{name}: request body {media_type} has no examples")
        for status, response in spec["responses"].items():
            response, _ = resolve(document, response)
            for media_type, media in response.get("content", {}).items():
                if not (media.get("examples") or "example" in media):
                    problems.append(f"{name}: response {status} {media_type} has no example")
    assert problems == []


@pytest.mark.parametrize("api", APIS)
def test_operation_ids_are_unique(api: str) -> None:
    ids = [operation.operation_id for operation in operations(load(api))]
    assert len(ids) == len(set(ids))


def _example_cases() -> list[pytest.param]:
    return [pytest.param(api, example, id=f"{api}:{example.where}") for api in APIS for example in examples(load(api))]


@pytest.mark.parametrize(("api", "example"), _example_cases())
def test_example_validates_against_its_schema(api: str, example) -> None:
    errors = [
        f"{list(e.absolute_path)}: {e.message}"
        for e in validator(api, example.schema_pointer).iter_errors(example.value)
    ]
    assert errors == [], f"{example.where} does not match {example.schema_pointer}"


def test_the_example_check_can_fail() -> None:
    """A wrong example is reported (so the parametrized test above is not vacuous)."""
    job = load("slurper")["components"]["schemas"]["Job"]["examples"][0]
    broken = {**job, "status": "finished"}
    assert list(validator("slurper", "/components/schemas/Job").iter_errors(broken))
