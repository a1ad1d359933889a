"""The public surface of a generated package, read from its files with `ast` (nothing is imported): its modules, their
functions and signatures, classes, attributes and their types, enum members, and which operation an endpoint module
calls. What a program written against the package can name is what the code rules compare."""

import ast
from dataclasses import dataclass, field
from pathlib import Path

from generator import pyparse

ENUM_BASES = frozenset({"Enum", "StrEnum", "IntEnum"})


@dataclass(frozen=True)
class Parameter:
    """A function's parameter.

    Attributes:
        name: Its name.
        annotation: Its type, as written.
        position: Its index among the positional parameters; None for a keyword-only one.
        has_default: Whether a caller may leave it out.
    """

    name: str
    annotation: str
    position: int | None
    has_default: bool


@dataclass(frozen=True)
class Function:
    """A function's or method's signature."""

    parameters: tuple[Parameter, ...]
    returns: str

    def parameter(self, name: str) -> Parameter | None:
        return next((parameter for parameter in self.parameters if parameter.name == name), None)


@dataclass(frozen=True)
class Attribute:
    """A class attribute declared with a type (an attrs field of a model).

    Attributes:
        annotation: Its type, as written.
        has_default: Whether the constructor may be called without it.
    """

    annotation: str
    has_default: bool


@dataclass
class ClassSurface:
    """A public class: its attributes, enum members and public methods."""

    enum: bool
    attributes: dict[str, Attribute] = field(default_factory=dict)
    members: dict[str, str] = field(default_factory=dict)
    methods: dict[str, Function] = field(default_factory=dict)


@dataclass
class ModuleSurface:
    """A public module.

    Attributes:
        functions: Its public functions.
        classes: Its public classes.
        names: Its other public names (constants, type variables), with their annotation if any.
        exports: What its `__all__` lists.
        endpoint: For an endpoint module, the operation it calls: (method, path).
    """

    functions: dict[str, Function] = field(default_factory=dict)
    classes: dict[str, ClassSurface] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    exports: tuple[str, ...] = ()
    endpoint: tuple[str, str] | None = None


Surface = dict[str, ModuleSurface]


def _public(name: str) -> bool:
    return not name.startswith("_")


def _text(node: ast.expr | None) -> str:
    return "" if node is None else ast.unparse(node)


def _function(node: ast.FunctionDef | ast.AsyncFunctionDef, method: bool = False) -> Function:
    arguments = node.args
    positional = [*arguments.posonlyargs, *arguments.args]
    static = any(_text(decorator) == "staticmethod" for decorator in node.decorator_list)
    if method and positional and not static:
        positional = positional[1:]  # self or cls: not the caller's to give
    defaults_from = len(positional) - len(arguments.defaults)
    parameters = [
        Parameter(argument.arg, _text(argument.annotation), index, index >= defaults_from)
        for index, argument in enumerate(positional)
    ]
    parameters += [
        Parameter(argument.arg, _text(argument.annotation), None, default is not None)
        for argument, default in zip(arguments.kwonlyargs, arguments.kw_defaults, strict=True)
    ]
    return Function(tuple(parameters), _text(node.returns))


def _class(node: ast.ClassDef) -> ClassSurface:
    bases = {_text(base).rsplit(".", 1)[-1] for base in node.bases}
    surface = ClassSurface(enum=bool(bases & ENUM_BASES))
    for statement in node.body:
        if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
            if _public(statement.target.id):
                surface.attributes[statement.target.id] = Attribute(
                    _text(statement.annotation), statement.value is not None
                )
        elif isinstance(statement, ast.Assign) and surface.enum:
            for target in statement.targets:
                if isinstance(target, ast.Name) and _public(target.id):
                    surface.members[target.id] = _text(statement.value)
        elif isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef) and _public(statement.name):
            surface.methods[statement.name] = _function(statement, method=True)
    return surface


def _endpoint(tree: ast.Module) -> tuple[str, str] | None:
    """The (method, path) an endpoint module's `_get_kwargs` builds its request for."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.Dict):
            continue
        entries = {
            key.value: value
            for key, value in zip(node.keys, node.values, strict=True)
            if isinstance(key, ast.Constant) and isinstance(key.value, str)
        }
        method, url = entries.get("method"), entries.get("url")
        if isinstance(url, ast.Call) and isinstance(url.func, ast.Attribute):
            url = url.func.value  # "/jobs/{id}".format(...)
        if isinstance(method, ast.Constant) and isinstance(url, ast.Constant):
            return str(method.value), str(url.value)
    return None


def read_module(source: str) -> ModuleSurface:
    """The public surface of one module's source."""
    tree = pyparse.parse(source)
    surface = ModuleSurface(endpoint=_endpoint(tree))
    for statement in tree.body:
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef) and _public(statement.name):
            surface.functions[statement.name] = _function(statement)
        elif isinstance(statement, ast.ClassDef) and _public(statement.name):
            surface.classes[statement.name] = _class(statement)
        elif isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
            if _public(statement.target.id):
                surface.names[statement.target.id] = _text(statement.annotation)
        elif isinstance(statement, ast.Assign):
            for target in statement.targets:
                if isinstance(target, ast.Name) and target.id == "__all__":
                    value = statement.value
                    if isinstance(value, ast.Tuple | ast.List):
                        surface.exports = tuple(
                            str(item.value) for item in value.elts if isinstance(item, ast.Constant)
                        )
                elif isinstance(target, ast.Name) and _public(target.id):
                    surface.names[target.id] = ""
    return surface


def module_name(relative: Path) -> str:
    """`models/job.py` → `models.job`; a package's `__init__.py` is the package (the top one: `__init__`)."""
    parts = list(relative.with_suffix("").parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts = parts[:-1]
    return ".".join(parts)


def read_surface(package: Path) -> Surface:
    """The public surface of a generated package: every module without a leading underscore in its path."""
    surface: Surface = {}
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(package)
        if any(part.startswith("_") and part != "__init__.py" for part in relative.parts):
            continue
        surface[module_name(relative)] = read_module(path.read_text(encoding="utf-8"))
    return surface
