"""The registry of APIs (generator/apis.toml), read by every room: the generator, the simulators, the conformance
suite, the client tests and the bench. An entry names an API's document and package, and the packages of its own
parts in the other rooms by module path, so reading the registry imports nothing: each room imports only the part it
uses (`Api.part`), and nothing here reaches into another room."""

import importlib
import tomllib
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Literal

ROOT = Path(__file__).resolve().parent.parent
REGISTRY = Path(__file__).with_name("apis.toml")
OUTPUT_ROOT = ROOT / "generated_client"
Part = Literal["simulator", "suite", "client_tests", "bench"]


@dataclass(frozen=True)
class Api:
    """One API of the registry.

    Attributes:
        name: Its name (the document's stem, the simulator's subcommand, `--api` of the suite).
        title: What it is called.
        spec: Its document.
        package: The package it is generated into (generated_client/<package>/).
        config: openapi-python-client's configuration for it.
        simulator: Its simulator's package.
        suite: Its conformance suite's package.
        client_tests: Its client tests' package.
        bench: Its bench module.
        spec_label: The document's path in the repository, as generated files name it.
    """

    name: str
    spec: Path
    package: str
    config: Path
    title: str = ""
    simulator: str = ""
    suite: str = ""
    client_tests: str = ""
    bench: str = ""
    spec_label: str = ""

    @property
    def label(self) -> str:
        """The document as generated files name it (its path in the repository)."""
        return self.spec_label or self.spec.name

    @property
    def output(self) -> Path:
        return OUTPUT_ROOT / self.package

    def part(self, role: Part, module: str = "") -> ModuleType:
        """Import one of the API's parts in another room (or a module inside it).

        Args:
            role: Which part: "simulator", "suite", "client_tests" or "bench".
            module: A module inside that package, e.g. "target" for the suite's `target` module.

        Returns:
            The module.
        """
        name = getattr(self, role)
        if not name:
            raise LookupError(f"the registry names no {role} for {self.name}")
        return importlib.import_module(f"{name}.{module}" if module else name)


def load_apis(registry: Path = REGISTRY) -> dict[str, Api]:
    """Every API in the registry, by name, in the order they are listed."""
    with registry.open("rb") as handle:
        entries = tomllib.load(handle)
    return {
        name: Api(
            name=name,
            title=entry.get("title", name),
            spec=ROOT / entry["spec"],
            package=entry["package"],
            config=ROOT / entry["config"],
            simulator=entry.get("simulator", ""),
            suite=entry.get("suite", ""),
            client_tests=entry.get("client_tests", ""),
            bench=entry.get("bench", ""),
            spec_label=entry["spec"],
        )
        for name, entry in entries.items()
    }


def api_names() -> list[str]:
    """The names of the registry's APIs, in order."""
    return list(load_apis())
