"""Each API's own parts of the cross-API client tests, read from the registry: the `client_tests` package of every API
that has one names, in a module of its own, what the shared tests need of that API (`calls.py`: its `CALLS`, for the
runtime tests; `operations.py`: its `OPERATIONS`, for test_operations.py)."""

from typing import Protocol, TypeVar

from generator.registry import load_apis


class Part(Protocol):
    """What an API's part says about itself: whose it is."""

    @property
    def api(self) -> str: ...


PartT = TypeVar("PartT", bound=Part)


def api_parts(module: str, name: str, kind: type[PartT]) -> dict[str, PartT]:
    """What every API of the registry that has client tests exports as `name` from its `module`, by API name, in the
    registry's order.

    Args:
        module: The module of each API's `client_tests` package ("calls", "operations").
        name: What the module exports.
        kind: What that must be.

    Raises:
        TypeError: A module exports something else as `name`, or another API's.
    """
    found: dict[str, PartT] = {}
    for api in load_apis().values():
        if not api.client_tests:
            continue
        part = getattr(api.part("client_tests", module), name, None)
        if not isinstance(part, kind) or part.api != api.name:
            raise TypeError(f"{api.client_tests}.{module} must export the {name} of {api.name}, not {part!r}")
        found[api.name] = part
    return found
