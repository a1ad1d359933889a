"""The code rules: generate both sides with the project's own generator (`pipeline.build`: openapi-python-client, the
templates, the runtime, ruff) and compare the two packages' public surfaces, so that a renamed operationId, a renamed
model or a property turned optional is reported as a program written against the old package meets it."""

import ast
import dataclasses
import functools
import re
import tempfile
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .. import pipeline
from ..registry import Api
from .changes import CodeChange
from .documents import DiffInputError, Side
from .surface import ClassSurface, Function, ModuleSurface, Surface, read_surface

Rename = Callable[[str], str]


@functools.lru_cache(maxsize=8)
def generated_surface(api: Api, text: str) -> Surface:
    """Generate a document's text as `api`'s package (its configuration, templates and runtime) in a temporary folder
    and read its public surface. Remembered: a report generates each side once, and a base shared by several diffs
    once.

    Raises:
        pipeline.GenerationError: The document cannot be generated.
    """
    with tempfile.TemporaryDirectory(prefix="generator-diff-") as tmp:
        spec = Path(tmp) / api.spec.name
        spec.write_text(text, encoding="utf-8")
        package = pipeline.build(dataclasses.replace(api, spec=spec), Path(tmp) / "staging")
        return read_surface(package)


def generate_surfaces(api: Api, old: Side, new: Side) -> tuple[Surface, Surface]:
    """Both sides' packages' public surfaces, generated at once.

    Raises:
        DiffInputError: A side's client cannot be generated; the message names the side.
    """
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = [(side, pool.submit(generated_surface, api, side.text)) for side in (old, new)]
        surfaces = []
        for side, future in futures:
            try:
                surfaces.append(future.result())
            except pipeline.GenerationError as error:
                raise DiffInputError(
                    f"{side.label}: its client cannot be generated (`--no-code` compares the wire alone): {error}"
                ) from None
    return surfaces[0], surfaces[1]


# Types ----------------------------------------------------------------------------------------------------------------


def _members(node: ast.expr) -> list[ast.expr]:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _members(node.left) + _members(node.right)
    return [node]


def _member_accepts(wide: ast.expr, narrow: ast.expr) -> bool:
    if ast.unparse(wide) == ast.unparse(narrow):
        return True
    if isinstance(wide, ast.Subscript) and isinstance(narrow, ast.Subscript):
        return ast.unparse(wide.value) == ast.unparse(narrow.value) and _node_accepts(wide.slice, narrow.slice)
    return False


def _node_accepts(wide: ast.expr, narrow: ast.expr) -> bool:
    return all(any(_member_accepts(w, n) for w in _members(wide)) for n in _members(narrow))


def accepts(wide: str, narrow: str) -> bool:
    """Whether every value of the annotation `narrow` is a value of `wide` (`int | None` accepts `int`)."""
    if wide == narrow:
        return True
    try:
        return _node_accepts(ast.parse(wide, mode="eval").body, ast.parse(narrow, mode="eval").body)
    except SyntaxError:
        return False


# Comparing ------------------------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class _Detail:
    """One function's change, before the same change of a module's sibling functions is grouped."""

    rule: str
    module: str
    function: str
    key: str
    breaking: bool
    addition: bool
    message: str


def _compare_functions(module: str, name: str, old: Function, new: Function, rename: Rename) -> Iterable[_Detail]:
    def detail(rule: str, key: str, breaking: bool, message: str, addition: bool = False) -> _Detail:
        return _Detail(rule, module, name, key, breaking, addition, message)

    for parameter in old.parameters:
        if new.parameter(parameter.name) is None:
            yield detail("code-parameter-removed", parameter.name, True, f"parameter `{parameter.name}` removed")
    for parameter in new.parameters:
        before = old.parameter(parameter.name)
        if before is None:
            required = not parameter.has_default
            yield detail(
                "code-parameter-added",
                parameter.name,
                required,
                f"{'required' if required else 'optional'} parameter `{parameter.name}: {parameter.annotation}` added",
                addition=not required,
            )
            continue
        if before.position != parameter.position:
            yield detail(
                "code-parameter-moved",
                parameter.name,
                True,
                f"parameter `{parameter.name}` moved "
                f"({'keyword-only' if before.position is None else f'position {before.position + 1}'} → "
                f"{'keyword-only' if parameter.position is None else f'position {parameter.position + 1}'})",
            )
        old_annotation = rename(before.annotation)
        if old_annotation != parameter.annotation:
            yield detail(
                "code-parameter-type-changed",
                parameter.name,
                not accepts(parameter.annotation, old_annotation),
                f"parameter `{parameter.name}`: `{before.annotation}` → `{parameter.annotation}`",
            )
        if before.has_default and not parameter.has_default:
            yield detail(
                "code-parameter-became-required", parameter.name, True, f"parameter `{parameter.name}` now required"
            )
        elif parameter.has_default and not before.has_default:
            yield detail(
                "code-parameter-became-optional", parameter.name, False, f"parameter `{parameter.name}` now optional"
            )
    old_returns = rename(old.returns)
    if old_returns != new.returns:
        yield detail(
            "code-return-type-changed",
            "return",
            not accepts(old_returns, new.returns),
            f"returns `{old.returns}` → `{new.returns}`",
        )


def _group(details: list[_Detail]) -> list[CodeChange]:
    """One change for the same change of several functions of a module (`sync`, `sync_detailed`, `asyncio`, ...)."""
    groups: dict[tuple[str, str, str, bool, bool], list[_Detail]] = {}
    for item in details:
        groups.setdefault((item.rule, item.module, item.key, item.breaking, item.addition), []).append(item)
    changes = []
    for (rule, module, key, breaking, addition), items in groups.items():
        functions = ", ".join(f"`{item.function}`" for item in items)
        symbols = tuple(f"{module}.{item.function}" + ("" if key == "return" else f".{key}") for item in items)
        changes.append(CodeChange(rule, symbols, breaking, addition, f"`{module}`: {items[0].message} ({functions})"))
    return changes


def _compare_classes(symbol: str, old: ClassSurface, new: ClassSurface, rename: Rename) -> Iterable[CodeChange]:
    short = symbol.rsplit(".", 1)[-1]

    def change(rule: str, member: str | None, breaking: bool, message: str) -> CodeChange:
        # Of the class itself (`member` None) or of one of its members; what does not break code adds to it.
        return CodeChange(rule, (symbol if member is None else f"{symbol}.{member}",), breaking, not breaking, message)

    if old.enum != new.enum:
        yield change(
            "code-class-kind-changed", None, True, f"`{short}` {'became' if new.enum else 'is no longer'} an enum"
        )
    for name, value in old.members.items():
        if name not in new.members:
            yield change("code-enum-member-removed", name, True, f"`{short}.{name}` ({value}) removed")
        elif new.members[name] != value:
            yield change("code-enum-member-changed", name, True, f"`{short}.{name}`: {value} → {new.members[name]}")
    for name, value in new.members.items():
        if name not in old.members:
            yield change("code-enum-member-added", name, False, f"`{short}.{name}` ({value}) added")
    for name in old.attributes:
        if name not in new.attributes:
            yield change("code-attribute-removed", name, True, f"`{short}.{name}` removed")
    for name, attribute in new.attributes.items():
        before = old.attributes.get(name)
        if before is None:
            required = "" if attribute.has_default else f" (required: constructing `{short}` now needs it)"
            message = f"`{short}.{name}: {attribute.annotation}` added{required}"
            yield change("code-attribute-added", name, not attribute.has_default, message)
            continue
        if rename(before.annotation) != attribute.annotation:
            message = f"`{short}.{name}`: `{before.annotation}` → `{attribute.annotation}`"
            yield change("code-attribute-type-changed", name, True, message)
        if before.has_default and not attribute.has_default:
            yield change(
                "code-attribute-became-required", name, True, f"`{short}.{name}` now required by the constructor"
            )
    details = [
        item
        for name, method in new.methods.items()
        if name in old.methods
        for item in _compare_functions(symbol, name, old.methods[name], method, rename)
    ]
    yield from _group(details)
    for name in old.methods.keys() - new.methods.keys():
        yield change("code-function-removed", name, True, f"`{short}.{name}()` removed")
    for name in new.methods.keys() - old.methods.keys():
        yield change("code-function-added", name, False, f"`{short}.{name}()` added")


def _pair(removed: list[str], added: list[str], same: Callable[[str, str], bool]) -> dict[str, str]:
    """Pair each removed name with the one added name that is the same thing under another name."""
    pairs = {}
    for old in removed:
        matches = [new for new in added if same(old, new)]
        if len(matches) == 1 and sum(same(other, matches[0]) for other in removed) == 1:
            pairs[old] = matches[0]
    return pairs


def _renamer(class_renames: dict[str, str]) -> Rename:
    if not class_renames:
        return lambda text: text
    short = {old.rsplit(".", 1)[-1]: new.rsplit(".", 1)[-1] for old, new in class_renames.items()}
    pattern = re.compile(r"\b(" + "|".join(re.escape(name) for name in short) + r")\b")
    return lambda text: pattern.sub(lambda match: short[match.group(1)], text)


def _same_class(old: ClassSurface, new: ClassSurface, rename: Rename) -> bool:
    """Whether two classes are the same but for the names of renamed classes."""
    return (
        old.enum == new.enum
        and old.members == new.members
        and {name: dataclasses.replace(a, annotation=rename(a.annotation)) for name, a in old.attributes.items()}
        == new.attributes
        and old.methods.keys() == new.methods.keys()
    )


def _same_functions(old: ModuleSurface, new: ModuleSurface, rename: Rename) -> bool:
    if old.functions.keys() != new.functions.keys() or not old.functions:
        return False
    return all(
        [dataclasses.replace(p, annotation=rename(p.annotation)) for p in function.parameters]
        == list(new.functions[name].parameters)
        and rename(function.returns) == new.functions[name].returns
        for name, function in old.functions.items()
    )


def compare_surfaces(old: Surface, new: Surface) -> list[CodeChange]:
    """Every difference a program written against the old package meets in the new one.

    Args:
        old: The old package's surface.
        new: The new package's surface.

    Returns:
        The changes: modules, functions and their parameters and return types, classes, attributes, enum members,
        exported names; a rename (same content, another name) is one change, and the annotations that name a renamed
        class are compared under its new name.
    """
    old_classes = {f"{module}.{name}": cls for module, surface in old.items() for name, cls in surface.classes.items()}
    new_classes = {f"{module}.{name}": cls for module, surface in new.items() for name, cls in surface.classes.items()}
    removed_classes = [name for name in old_classes if name not in new_classes]
    added_classes = [name for name in new_classes if name not in old_classes]
    # A class renamed with the classes it names (a model and its inline enum) pairs once they are: pair until stable.
    class_renames: dict[str, str] = {}
    while True:
        rename = _renamer(class_renames)

        def same(old_name: str, new_name: str, rename: Callable[[str], str] = rename) -> bool:
            return _same_class(old_classes[old_name], new_classes[new_name], rename)

        found = _pair(removed_classes, added_classes, same)
        if found == class_renames:
            break
        class_renames = found
    renamed_new = set(class_renames.values())

    def only_renamed_classes(surface: ModuleSurface, module: str, renamed: set[str]) -> bool:
        return (
            bool(surface.classes)
            and not surface.functions
            and all(f"{module}.{name}" in renamed for name in surface.classes)
        )

    removed_modules = [m for m in old if m not in new and not only_renamed_classes(old[m], m, set(class_renames))]
    added_modules = [m for m in new if m not in old and not only_renamed_classes(new[m], m, renamed_new)]
    module_renames = _pair(
        removed_modules,
        added_modules,
        lambda a, b: (
            (old[a].endpoint is not None and old[a].endpoint == new[b].endpoint)
            or _same_functions(old[a], new[b], rename)
        ),
    )
    changes: list[CodeChange] = []
    for before, after in module_renames.items():
        changes.append(
            CodeChange(
                "code-module-renamed", (after,), True, False, f"module `{before}` renamed to `{after}`", (before,)
            )
        )
    gone = [m for m in removed_modules if m not in module_renames]
    new_modules = [m for m in added_modules if m not in module_renames.values()]
    changes += [CodeChange("code-module-removed", (m,), True, False, f"module `{m}` removed") for m in gone]
    changes += [CodeChange("code-module-added", (m,), False, True, f"module `{m}` added") for m in new_modules]
    for before, after in class_renames.items():
        changes.append(
            CodeChange(
                "code-class-renamed",
                (after,),
                True,
                False,
                f"class `{before.rsplit('.', 1)[-1]}` renamed to `{after.rsplit('.', 1)[-1]}` (`{before}` → `{after}`)",
                (before,),
            )
        )
    for name in removed_classes:
        if name not in class_renames and name.rsplit(".", 1)[0] not in gone:
            changes.append(CodeChange("code-class-removed", (name,), True, False, f"class `{name}` removed"))
    for name in added_classes:
        if name not in renamed_new and name.rsplit(".", 1)[0] not in new_modules:
            changes.append(CodeChange("code-class-added", (name,), False, True, f"class `{name}` added"))
    for name in sorted(old_classes.keys() & new_classes.keys()):
        changes += _compare_classes(name, old_classes[name], new_classes[name], rename)
    module_pairs = [(m, m) for m in old if m in new] + list(module_renames.items())
    renamed_short = {
        name.rsplit(".", 1)[-1] for name in [*class_renames, *renamed_new, *removed_classes, *added_classes]
    }
    details: list[_Detail] = []
    for before, after in module_pairs:
        old_module, new_module = old[before], new[after]
        for name in old_module.functions.keys() - new_module.functions.keys():
            changes.append(
                CodeChange(
                    "code-function-removed", (f"{before}.{name}",), True, False, f"function `{before}.{name}` removed"
                )
            )
        for name in new_module.functions.keys() - old_module.functions.keys():
            changes.append(
                CodeChange("code-function-added", (f"{after}.{name}",), False, True, f"function `{after}.{name}` added")
            )
        for name in sorted(old_module.functions.keys() & new_module.functions.keys()):
            details += _compare_functions(after, name, old_module.functions[name], new_module.functions[name], rename)
        for name in old_module.names.keys() - new_module.names.keys():
            changes.append(
                CodeChange("code-name-removed", (f"{before}.{name}",), True, False, f"`{before}.{name}` removed")
            )
        for name in new_module.names.keys() - old_module.names.keys():
            changes.append(CodeChange("code-name-added", (f"{after}.{name}",), False, True, f"`{after}.{name}` added"))
        for name in set(old_module.exports) - set(new_module.exports) - renamed_short:
            changes.append(
                CodeChange(
                    "code-export-removed", (f"{before}.{name}",), True, False, f"`{before}` no longer exports `{name}`"
                )
            )
        for name in set(new_module.exports) - set(old_module.exports) - renamed_short:
            changes.append(
                CodeChange("code-export-added", (f"{after}.{name}",), False, True, f"`{after}` exports `{name}`")
            )
    changes += _group(details)
    return changes
