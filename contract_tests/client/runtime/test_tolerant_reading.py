"""Tolerant in what the clients read, strict in what they send (STYLE.md 17), for every API of the registry.

The packages are generated from each document as the clients read it (`provenance.as_read_by_clients`): a response
property whose requiredness the document only assumes is optional there. So:

- a documented 200 example without one such property still comes back as the success model, that attribute `UNSET`
  and everything else as sent: through the endpoint functions in all four forms for each API's read
  (`calls.READS`), and through every operation's own response reading for every such property of every example;
- an example without what stays required (what a source guarantees, such as the slurper's envelope, or a union's tag)
  still gives the success model since issue 14, that attribute `UNSET` (a variant without its tag an
  `UnknownVariant`), and the drift reported (the other kinds of drift: test_drift.py);
- the models type the first `Unset`-able, so that mypy makes a caller handle its absence, and the second not; request
  models stay as the document has them, whatever the mark (the slurper's own cases of these:
  contract_tests/client/slurper/test_tolerant_reading.py).

The cases come from the documents' marks, not from a list kept here. A body left without an assumed property is
checked against the document with every assumption taken out (`provenance.sourced_only`) instead of the whole
document: what the client is shown is what a server that honours the vendor's contract may send.
"""

import copy
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

import attrs
import httpx
import pytest
import respx

from contract_tests.client.conftest import MODES, call, parsed_of, unset_able
from contract_tests.client.generated import endpoint, package, python_name
from contract_tests.client.runtime.calls import READS, Call, LeftOut, answer, api_calls
from contract_tests.documents import (
    encode_body,
    json_sequence_media_type,
    load,
    response_problems,
    validator,
)
from generator import provenance
from generator.registry import load_apis

APIS = load_apis()
SUCCESS = ("response", "200", "application/json")


@dataclass(frozen=True)
class Removal:
    """A documented 200 example of an operation with one property it requires left out.

    Attributes:
        api: The API.
        operation_id: The operation.
        example: The example's name.
        place: Where the object that held the property is in the body (keys and list positions).
        name: The property, as the document names it.
        pointer: The schema that requires it.
        whole: The example as documented.
        may_be_left_out: Whether the marks let a server leave it out: its requiredness is assumed, and it is no union
            variant's tag. Read from the marks themselves, not from `provenance.as_read_by_clients`.
    """

    api: str
    operation_id: str
    example: str
    place: tuple[str | int, ...]
    name: str
    pointer: str
    whole: Any
    may_be_left_out: bool

    def __str__(self) -> str:
        return f"{self.api}-{self.operation_id}-{self.example}-{'/'.join(map(str, (*self.place, self.name)))}"

    @property
    def body(self) -> Any:
        """The example without the property."""
        return without(self.whole, self.place, self.name)


def at(value: Any, place: tuple[str | int, ...]) -> Any:
    for step in place:
        value = value[step]
    return value


def at_attributes(model: Any, attributes: list[str]) -> Any:
    for attribute in attributes:
        model = getattr(model, attribute)
    return model


def without(value: Any, place: tuple[str | int, ...], name: str) -> Any:
    """A copy of `value` with property `name` of the object at `place` left out."""
    trimmed = copy.deepcopy(value)
    del at(trimmed, place)[name]
    return trimmed


def _places(value: Any, steps: tuple[str, ...]) -> Iterator[tuple[str | int, ...]]:
    """Where in `value` the object at a constraint's location is (`provenance.Constraint.location`, after the media
    type): a list's first item, a map's first value, a union's variant only where the value carries its tag."""
    if not steps:
        if isinstance(value, dict):
            yield ()
        return
    step, rest = steps[0], steps[1:]
    if step.startswith(".") and isinstance(value, dict) and step[1:] in value:
        yield from ((step[1:], *place) for place in _places(value[step[1:]], rest))
    elif step == "[]" and isinstance(value, list) and value:
        yield from ((0, *place) for place in _places(value[0], rest))
    elif step == "{}" and isinstance(value, dict) and value:
        first = next(iter(value))
        yield from ((first, *place) for place in _places(value[first], rest))
    elif step.startswith("<") and "=" in step:
        tag, _, expected = step[1:-1].partition("=")
        if isinstance(value, dict) and str(value.get(tag)) == expected:
            yield from _places(value, rest)


def _success_examples(document: Any, operation: provenance.OperationRef) -> dict[str, Any]:
    """Every example of the operation's 200 JSON response, by name."""
    responses = operation.spec.get("responses") or {}
    if "200" not in responses:
        return {}
    response, _ = provenance.resolve(document, responses["200"], "")
    media = (response.get("content") or {}).get("application/json") or {}
    named = {name: example["value"] for name, example in (media.get("examples") or {}).items()}
    if "example" in media:
        named["example"] = media["example"]
    return named


@cache
def removals(api: str) -> list[Removal]:
    """Every property the document requires of a 200 JSON response, left out of each example that has it."""
    document = load(api)
    assumed = provenance.assumed_marks(document)
    found: dict[tuple[Any, ...], Removal] = {}
    for operation in provenance.operations(document):
        examples = _success_examples(document, operation)
        for constraint in provenance.operation_constraints(document, operation):
            if constraint.keyword != "required" or constraint.argument is None or constraint.location[:3] != SUCCESS:
                continue
            tag = constraint.location[-1].startswith(f"<{constraint.argument}=")
            may_be_left_out = constraint.fact in assumed and not tag
            for name, value in examples.items():
                for place in _places(value, constraint.location[3:]):
                    if constraint.argument in at(value, place):
                        key = (operation.operation_id, name, place, constraint.argument)
                        found.setdefault(
                            key,
                            Removal(
                                api, *key[:2], place, constraint.argument, constraint.pointer, value, may_be_left_out
                            ),
                        )
    return list(found.values())


def _all(*, may_be_left_out: bool) -> list[Removal]:
    return [removal for api in APIS for removal in removals(api) if removal.may_be_left_out == may_be_left_out]


def read(api: str, operation_id: str, body: Any) -> Any:
    """What the operation's generated functions make of a 200 with `body` (`parsed`)."""
    return read_detailed(api, operation_id, body).parsed


def read_detailed(api: str, operation_id: str, body: Any) -> Any:
    """The `Response` the operation's generated functions make of a 200 with `body`."""
    sequence = json_sequence_media_type(api, operation_id, 200) is not None
    response = httpx.Response(
        200,
        content=encode_body("application/json", body, sequence=sequence),
        headers={"Content-Type": "application/json"},
    )
    client = package(api).Client(base_url="https://api.example.invalid")
    return endpoint(api, operation_id)._build_response(client=client, response=response)


def as_json(parsed: Any) -> Any:
    return [as_json(item) for item in parsed] if isinstance(parsed, list) else parsed.to_dict()


def same_kind(parsed: Any, whole: Any) -> bool:
    """Whether `parsed` is the success model (or list of models) that the whole example gives."""
    if isinstance(whole, list):
        return isinstance(parsed, list) and [type(item) for item in parsed] == [type(item) for item in whole]
    return type(parsed) is type(whole)


def sourced_problems(api: str, operation_id: str, body: Any) -> list[str]:
    """How a 200 body breaks what the sources state of it (the document with every assumption taken out)."""
    document = load(api)
    operation = next(op for op in provenance.operations(document) if op.operation_id == operation_id)
    _, pointer = provenance.resolve(document, operation.spec["responses"]["200"], f"{operation.pointer}/responses/200")
    schema = f"{pointer}/content/application~1json/schema"
    return [error.message for error in validator(api, schema, sourced_only=True).iter_errors(body)]


def test_every_api_has_properties_a_server_may_leave_out() -> None:
    for api in APIS:
        assert any(removal.may_be_left_out for removal in removals(api)), f"{api}: no 200 example has one"
    assert _all(may_be_left_out=False), "no 200 example has a property a source guarantees or a union's tag"


@pytest.mark.parametrize("api", APIS)
def test_the_clients_view_of_a_document_drops_exactly_what_may_be_left_out(api: str) -> None:
    as_read = provenance.as_read_by_clients(load(api))
    for removal in removals(api):
        still_required = removal.name in (provenance.lookup(as_read, removal.pointer).get("required") or [])
        assert still_required is not removal.may_be_left_out, str(removal)


@pytest.mark.parametrize("removal", _all(may_be_left_out=True), ids=str)
def test_an_assumed_property_left_out_still_gives_the_success_model(removal: Removal) -> None:
    assert response_problems(removal.api, removal.operation_id, 200, "application/json", removal.body) != []
    assert sourced_problems(removal.api, removal.operation_id, removal.body) == []

    whole = read(removal.api, removal.operation_id, removal.whole)
    parsed = read(removal.api, removal.operation_id, removal.body)

    assert same_kind(parsed, whole), f"{removal}: got {parsed!r}"
    # to_dict() leaves out exactly the UNSET attributes: the property is absent, the rest as the whole example gave it.
    assert as_json(parsed) == without(as_json(whole), removal.place, removal.name)


@pytest.mark.parametrize("removal", _all(may_be_left_out=False), ids=str)
def test_a_guaranteed_property_left_out_still_gives_the_success_model_and_reports_it(removal: Removal) -> None:
    # Issue 14 (it used to give no success model): what a source guarantees stays typed as present, and a server
    # that leaves it out anyway is still read (the attribute UNSET, a union variant without its tag kept as
    # UnknownVariant), the difference reported as drift and warned about.
    whole = read(removal.api, removal.operation_id, removal.whole)
    package(removal.api)._drift._warned.clear()

    with pytest.warns(package(removal.api).errors.DriftWarning, match="update the document and regenerate"):
        response = read_detailed(removal.api, removal.operation_id, removal.body)

    assert same_kind(response.parsed, whole), f"{removal}: {response.parsed!r}"
    assert response.drift, str(removal)
    assert {drift.kind for drift in response.drift} <= {"missing field", "unknown union variant"}


def _through_the_client(read_call: Call, mode: str, body: Any) -> Any:
    """What the read's function in `mode` returns for a 200 with `body` (parsed), on a fresh client."""
    package(read_call.api)._drift._warned.clear()
    with respx.mock(assert_all_called=True, assert_all_mocked=True) as router:
        router.route(method=read_call.method, url=read_call.url).mock(return_value=answer(200, body))
        result = call(read_call.module, mode, *read_call.args, client=read_call.client(), **read_call.kwargs)
    return parsed_of(result, mode)


def _is_removal(read_call: Call, left_out: LeftOut, *, may_be_left_out: bool) -> bool:
    """Whether the marks give `left_out` as a case of its kind, for the body the read's tests use."""
    return any(
        (removal.operation_id, removal.place, removal.name, removal.whole, removal.may_be_left_out)
        == (left_out.operation_id, left_out.place, left_out.name, read_call.success, may_be_left_out)
        for removal in removals(read_call.api)
    )


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("read_call", READS, ids=str)
def test_each_read_without_an_assumed_property_gives_the_success_model(read_call: Call, mode: str) -> None:
    left_out = api_calls()[read_call.api].assumed
    assert read_call.module is endpoint(read_call.api, left_out.operation_id)
    assert _is_removal(read_call, left_out, may_be_left_out=True), f"{left_out} is not assumed-required in the document"
    body = without(read_call.success, left_out.place, left_out.name)
    assert sourced_problems(read_call.api, left_out.operation_id, body) == []

    whole = _through_the_client(read_call, mode, read_call.success)
    parsed = _through_the_client(read_call, mode, body)

    assert type(parsed) is type(whole)
    *owner, attribute = left_out.attributes
    assert getattr(at_attributes(parsed, owner), attribute) is package(read_call.api).types.UNSET
    setattr(at_attributes(whole, owner), attribute, package(read_call.api).types.UNSET)
    assert parsed == whole


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("read_call", [calls.read for calls in api_calls().values() if calls.guaranteed], ids=str)
def test_each_read_without_a_guaranteed_property_still_gives_the_success_model(read_call: Call, mode: str) -> None:
    # Issue 14 (it used to give None): the model is read, the attribute UNSET, the drift reported.
    left_out = api_calls()[read_call.api].guaranteed
    assert left_out is not None
    assert _is_removal(read_call, left_out, may_be_left_out=False), f"{left_out} is not required as the clients read it"
    whole = _through_the_client(read_call, mode, read_call.success)

    with pytest.warns(package(read_call.api).errors.DriftWarning):
        parsed = _through_the_client(read_call, mode, without(read_call.success, left_out.place, left_out.name))

    assert type(parsed) is type(whole)
    *owner, attribute = left_out.attributes
    assert getattr(at_attributes(parsed, owner), attribute) is package(read_call.api).types.UNSET


def _model_and_attribute(api: str, pointer: str, name: str) -> tuple[type, str] | None:
    """The generated model of a component schema (or of one part of its `allOf`) and the attribute of `name`."""
    matched = re.fullmatch(r"/components/schemas/([^/]+)(/allOf/[0-9]+)?", pointer)
    if matched is None:
        return None
    model = getattr(package(api).models, matched.group(1))
    fields = attrs.fields_dict(model)
    # openapi-python-client appends "_" to a name that would shadow a builtin (`min` -> `min_`).
    attribute = next(spelling for spelling in (python_name(name), f"{python_name(name)}_") if spelling in fields)
    return model, attribute


@pytest.mark.parametrize("api", APIS)
def test_models_type_what_a_server_may_leave_out_as_unset_able_and_the_rest_not(api: str) -> None:
    document = load(api)
    as_read = provenance.as_read_by_clients(document)
    unset = package(api).types.Unset
    optional, required = set(), set()
    for entry in provenance.marked(document):
        if entry.keyword != "required" or entry.argument is None:
            continue
        found = _model_and_attribute(api, entry.pointer, entry.argument)
        if found is None:
            continue
        kept = entry.argument in (provenance.lookup(as_read, entry.pointer).get("required") or [])
        (required if kept else optional).add((found[0].__name__, found[1]))
        assert unset_able(*found, unset) is not kept, f"{api} {entry.pointer} {entry.argument} ({entry.mark})"
    assert optional, f"{api}: no model types an assumed-required response property as optional"
    assert api_calls()[api].unset_able <= optional
    assert api_calls()[api].kept_required <= required


@pytest.mark.parametrize("read_call", READS, ids=str)
def test_a_property_the_document_does_not_name_is_kept_beside_the_rest(read_call: Call) -> None:
    # What a newer server adds is read too: into the model's additional properties, in the body's order.
    left_out = api_calls()[read_call.api].assumed
    body = copy.deepcopy(read_call.success)
    at(body, left_out.place).update({"addedLater": {"by": "a newer server"}, "alsoNew": 7})
    assert response_problems(read_call.api, left_out.operation_id, 200, "application/json", body) == []
    whole = _through_the_client(read_call, "sync_detailed", read_call.success)

    with pytest.warns(package(read_call.api).errors.DriftWarning, match="unknown field"):
        parsed = _through_the_client(read_call, "sync_detailed", body)

    extended = at_attributes(parsed, list(left_out.attributes[:-1]))
    assert list(extended.additional_properties.items()) == [("addedLater", {"by": "a newer server"}), ("alsoNew", 7)]
    assert extended.to_dict().keys() == at(body, left_out.place).keys()  # to_dict() gives them back
    extended.additional_properties = {}
    assert parsed == whole
