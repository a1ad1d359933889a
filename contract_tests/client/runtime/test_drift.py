"""Drift (issue 14), for every API of the registry: a success body that differs from the document in a way a server
may plausibly send still gives the success model, the difference is on `Response.drift` and in one `DriftWarning`,
and a `strict=True` client raises `errors.DriftError` carrying the body and the drift.

Each kind of drift is planted in a documented success example of each API (`operations.OPERATIONS`), on an object
read alone (not inside a JSON array) and on one inside an array, and read through the generated endpoint function
in its four forms. Where each kind is planted is found by walking the example beside the model it parses into, so
nothing here names one API's fields:

- an unknown enum value: an attribute that holds an enum member gets a value no member has;
- an unknown union variant: an attribute typed with `UnknownVariant` (a union told apart by a tag) gets a tag no
  variant has;
- a missing field: an attribute that is not `Unset`-able (a source guarantees it) is left out;
- a null field: an attribute that is neither `None`-able nor already None is sent as null;
- an unknown field: an object gets a key its model does not name.
"""

import copy
import enum
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

import attrs
import pytest
import respx

from contract_tests.client.conftest import MODES, call, parsed_of
from contract_tests.client.generated import endpoint, package, python_name
from contract_tests.client.operations import Operation, tables
from contract_tests.client.runtime.calls import answer
from contract_tests.documents import find_operation

KINDS = ("unknown enum value", "unknown union variant", "missing field", "null field", "unknown field")
WHERE = ("alone", "in a list")
NEW_ENUM = {str: "value-from-a-newer-server", int: 987}


@dataclass(frozen=True)
class Spot:
    """Where one kind of drift is planted: the operation, the path of the object in the body (keys and positions),
    the key, and the model's path to the attribute."""

    operation: Operation
    body: Any
    place: tuple[str | int, ...]
    key: str
    attributes: tuple[str | int, ...]

    @property
    def pointer(self) -> str:
        return "".join(f"/{part}" for part in (*self.place, self.key))


def _success_body(api: str, operation: Operation) -> Any:
    response = find_operation(api, operation.operation_id).spec["responses"].get(str(operation.success))
    if not response or "application/json" not in response.get("content", {}):
        return None
    examples = response["content"]["application/json"].get("examples") or {}
    return next(iter(examples.values()))["value"] if examples else None


def _attribute(model: Any, key: str) -> str | None:
    fields = attrs.fields_dict(type(model))
    return next((name for name in (python_name(key), f"{python_name(key)}_") if name in fields), None)


def _walk(
    body: Any,
    model: Any,
    place: tuple[str | int, ...],
    attributes: tuple[str | int, ...],
    listed: bool,
    variant: bool = False,
) -> Iterator[tuple[str, bool, tuple[str | int, ...], str, tuple[str | int, ...]]]:
    """(kind, inside a list, place, key, attributes) of every spot of `body` (read as `model`) for each kind; a union
    variant's fields (`variant`) are left alone (without its tag, it is an unknown variant)."""
    if isinstance(body, list) and isinstance(model, list):
        for position, (item, parsed) in enumerate(zip(body, model, strict=True)):
            yield from _walk(item, parsed, (*place, position), (*attributes, position), True)
        return
    if not (isinstance(body, dict) and attrs.has(type(model))):
        return
    if hasattr(model, "additional_properties"):
        yield "unknown field", listed, place, "addedByANewerServer", attributes
    fields = attrs.fields_dict(type(model))
    for key, value in body.items():
        name = _attribute(model, key)
        if name is None:
            continue
        declared = str(fields[name].type).split(" | ")
        parsed = getattr(model, name)
        if isinstance(parsed, enum.Enum):
            yield "unknown enum value", listed, place, key, (*attributes, name)
        if "UnknownVariant" in declared and isinstance(value, dict):
            yield "unknown union variant", listed, place, key, (*attributes, name)
        if "Unset" not in declared and "None" not in declared and not variant:
            yield "missing field", listed, place, key, (*attributes, name)
        if "None" not in declared and value is not None and not variant:
            yield "null field", listed, place, key, (*attributes, name)
        yield from _walk(value, parsed, (*place, key), (*attributes, name), listed, "UnknownVariant" in declared)


@cache
def spots() -> dict[tuple[str, str, str], Spot]:
    """The first spot of each (API, kind, where) in the APIs' documented success examples."""
    found: dict[tuple[str, str, str], Spot] = {}
    for api, table in tables().items():
        for operation in table:
            body = _success_body(api, operation)
            if body is None:
                continue
            model = _read(api, operation, body, "sync")
            for kind, listed, place, key, attributes in _walk(body, model, (), (), False):
                found.setdefault((api, kind, WHERE[listed]), Spot(operation, body, place, key, attributes))
    return found


def _read(api: str, operation: Operation, body: Any, mode: str, **options: Any) -> Any:
    table = tables()[api]
    with respx.mock(base_url=table.base_url, assert_all_called=True, assert_all_mocked=True) as router:
        operation.route(router).mock(return_value=answer(operation.success, body))
        return call(
            endpoint(api, operation.operation_id),
            mode,
            *operation.args,
            client=table.client(**options),
            **operation.kwargs,
        )


def _at(value: Any, path: tuple[str | int, ...]) -> Any:
    for part in path:
        value = value[part] if isinstance(part, int) or isinstance(value, dict) else getattr(value, part)
    return value


def _planted(spot: Spot, kind: str) -> tuple[Any, Any]:
    """The body with the drift planted, and what the attribute must then hold (None: see the kind)."""
    body = copy.deepcopy(spot.body)
    holder = _at(body, spot.place)
    if kind == "unknown enum value":
        raw = NEW_ENUM[type(holder[spot.key])]
        holder[spot.key] = raw
        return body, raw
    if kind == "unknown union variant":
        holder[spot.key] = {**holder[spot.key], "vendor": "a-vendor-added-later"}
        return body, holder[spot.key]
    if kind == "missing field":
        del holder[spot.key]
        return body, None
    if kind == "null field":
        holder[spot.key] = None
        return body, None
    holder[spot.key] = {"by": "a newer server"}
    return body, holder[spot.key]


# Only the (API, kind, where) an API's documented success bodies have a place for: RekoSearch's, say, hold no enum,
# and only the slurper's a tagged union. `test_every_api_and_every_kind_of_drift_is_tried` keeps the table honest.
CASES = sorted(spots())


def _spot(api: str, kind: str, where: str) -> Spot:
    return spots()[(api, kind, where)]


def test_every_api_and_every_kind_of_drift_is_tried() -> None:
    """Every kind of drift is tried wherever an API's documented success bodies have a place for it, alone and inside a
    list. Where one has none, it is because of the document: RekoSearch's bodies hold no enum; only the slurper has a
    tagged union; and a missing field is drift only where a source guarantees it (an assumed one is read as optional,
    test_tolerant_reading.py), which only the slurper's envelope does, outside any list."""
    both = ("alone", "in a list")
    expected = {
        *(("connect", kind, where) for kind in ("null field", "unknown enum value", "unknown field") for where in both),
        *(("rekosearch", kind, where) for kind in ("null field", "unknown field") for where in both),
        *(
            ("slurper", kind, where)
            for kind in ("null field", "unknown enum value", "unknown field", "unknown union variant")
            for where in both
        ),
        ("slurper", "missing field", "alone"),
    }

    assert set(CASES) == expected


@pytest.fixture(autouse=True)
def _every_warning_anew() -> None:
    # Each kind is warned about once per process: the tests start from a process that warned about nothing.
    for api in tables():
        package(api)._drift._warned.clear()


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("api", "kind", "where"), CASES, ids=["-".join(case) for case in CASES])
def test_a_drifted_success_body_gives_the_success_model_and_reports_the_drift(
    api: str, kind: str, where: str, mode: str
) -> None:
    spot = _spot(api, kind, where)
    body, expected = _planted(spot, kind)
    types = package(api).types
    whole = parsed_of(_read(api, spot.operation, spot.body, mode), mode)

    with pytest.warns(package(api).errors.DriftWarning, match="update the document and regenerate") as warned:
        result = _read(api, spot.operation, body, mode)

    parsed = parsed_of(result, mode)
    assert type(parsed) is type(whole)
    holder = _at(parsed, spot.attributes[:-1]) if kind != "unknown field" else _at(parsed, spot.attributes)
    if kind == "unknown enum value":
        value = getattr(holder, str(spot.attributes[-1]))
        assert value == expected
        assert not isinstance(value, enum.Enum)
    elif kind == "unknown union variant":
        assert getattr(holder, str(spot.attributes[-1])) == types.UnknownVariant(expected)
    elif kind in ("missing field", "null field"):
        assert getattr(holder, str(spot.attributes[-1])) is types.UNSET
    else:
        assert holder.additional_properties[spot.key] == expected
    assert len(warned) == 1
    assert spot.pointer in str(warned[0].message)
    assert load_label(api) in str(warned[0].message)
    if mode.endswith("_detailed"):
        [drift] = result.drift
        location = spot.pointer if kind != "unknown union variant" else f"{spot.pointer}/vendor"
        assert (drift.location, drift.kind) == (location, kind)
        assert drift.expected
        assert result.status_code == spot.operation.success


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("api", "kind", "where"), CASES, ids=["-".join(case) for case in CASES])
def test_a_strict_client_raises_on_drift_with_the_body_and_the_drift(
    api: str, kind: str, where: str, mode: str
) -> None:
    spot = _spot(api, kind, where)
    body, _ = _planted(spot, kind)
    errors = package(api).errors

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", errors.DriftWarning)
        with pytest.raises(errors.DriftError) as raised:
            _read(api, spot.operation, body, mode, strict=True)

    assert isinstance(raised.value, errors.APIError)
    assert raised.value.body == body
    assert [drift.kind for drift in raised.value.drift] == [kind]
    assert spot.pointer in str(raised.value)


@pytest.mark.parametrize("api", list(tables()))
def test_a_body_that_matches_the_document_has_no_drift(api: str) -> None:
    read = 0
    for operation in tables()[api]:
        body = _success_body(api, operation)
        if body is None:
            continue
        result = _read(api, operation, body, "sync_detailed", strict=True)
        assert result.drift == ()
        read += 1
    assert read


def test_every_api_has_a_place_for_the_kinds_every_api_can_drift_in() -> None:
    # Enums, unions and guaranteed fields are where an API's document has them (RekoSearch has no response enum).
    for api in tables():
        for kind in ("null field", "unknown field"):
            for where in WHERE:
                assert (api, kind, where) in spots(), (api, kind, where)
    for kind in KINDS:
        least = 1 if kind in ("unknown union variant", "missing field") else 2
        assert sum(found == kind for _, found, _ in spots()) >= least, kind


def test_the_same_drift_is_warned_about_once() -> None:
    api, kind, where = next(key for key in spots() if key[1] == "unknown enum value")
    spot = spots()[(api, kind, where)]
    body, _ = _planted(spot, kind)
    with pytest.warns(package(api).errors.DriftWarning) as warned:
        _read(api, spot.operation, body, "sync_detailed")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        again = _read(api, spot.operation, body, "sync_detailed")
    assert len(warned) == 1
    assert len(again.drift) == 1


def load_label(api: str) -> str:
    return package(api)._drift.DOCUMENT
