"""The list of APIs, read from generator/apis.toml."""

import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REGISTRY = Path(__file__).with_name("apis.toml")
OUTPUT_ROOT = ROOT / "generated_client"


@dataclass(frozen=True)
class Api:
    """One API: the document it is generated from and where its package goes."""

    name: str
    spec: Path
    package: str
    config: Path
    spec_label: str = ""

    @property
    def label(self) -> str:
        """The document as generated files name it (its path in the repository)."""
        return self.spec_label or self.spec.name

    @property
    def output(self) -> Path:
        return OUTPUT_ROOT / self.package


def load_apis(registry: Path = REGISTRY) -> dict[str, Api]:
    """Every API in the registry, by name, in the order they are listed."""
    with registry.open("rb") as handle:
        entries = tomllib.load(handle)
    return {
        name: Api(
            name=name,
            spec=ROOT / entry["spec"],
            package=entry["package"],
            config=ROOT / entry["config"],
            spec_label=entry["spec"],
        )
        for name, entry in entries.items()
    }
