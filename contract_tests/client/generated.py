"""Where an API's generated code is, found from the registry and the document's names: its package, a name as the
generated code spells it, an operation's endpoint module."""

import importlib
import importlib.util
import pkgutil
import re
from types import ModuleType

from generator.registry import load_apis


def package(api: str) -> ModuleType:
    """The API's generated package (`generated_client/<package>/`)."""
    return importlib.import_module(f"generated_client.{load_apis()[api].package}")


def python_name(name: str) -> str:
    """A property's or an operation's name as the generated code spells it (`createdAt` -> `created_at`)."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).replace("-", "_").lower()


def endpoint(api: str, operation_id: str) -> ModuleType:
    """The generated module of an operation (`api/<tag>/<operation>.py`)."""
    root = importlib.import_module(f"{package(api).__name__}.api")
    for tag in pkgutil.iter_modules(root.__path__):
        candidate = f"{root.__name__}.{tag.name}.{python_name(operation_id)}"
        if tag.ispkg and importlib.util.find_spec(candidate) is not None:
            return importlib.import_module(candidate)
    raise LookupError(f"{api}: no generated module for {operation_id}")
