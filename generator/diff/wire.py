"""The wire rules: would a client generated from the old document fail against a server of the new one?

A request is judged as the old client sends it and the new server accepts it (a narrower schema breaks); a response
as the new server sends it and the old client reads it (a wider schema breaks: a new enum value, a new union variant,
a property that may be missing or null). A schema met on both sides (an enum shared by a query parameter and a
response) is judged on each. What the old client requires of a response is what its generated code requires: the
document as the clients read it (`provenance.as_read_by_clients`), where a requiredness that is only assumed is
optional.
"""

import re
from collections.abc import Callable, Mapping
from typing import Any

from ..provenance import lookup
from .changes import Finding, Level, OperationLabel, Touch
from .documents import Document, Operation, escape, nodes
from .rules import ClientRequires
from .schema_rules import Context, SchemaRules
from .shapes import component_name


def _normalised_path(path: str) -> str:
    return re.sub(r"\{[^}]*\}", "{}", path)


def _path_parameters(path: str) -> list[str]:
    return re.findall(r"\{([^}]*)\}", path)


class WireRules(SchemaRules):
    """Compare two documents operation by operation and collect the findings."""

    # Operations -----------------------------------------------------------------------------------------------------

    def run(self) -> list[Finding]:
        """Every finding, operations first, then security schemes."""
        old_ops = {(op.method, op.path): op for op in self.old.operations()}
        new_ops = {(op.method, op.path): op for op in self.new.operations()}
        pairs = [(old_ops.pop(key), new_ops.pop(key)) for key in list(old_ops) if key in new_ops]
        # A path whose parameters were renamed is the same path on the wire.
        for key, op in list(old_ops.items()):
            match = [
                k for k, n in new_ops.items() if k[0] == key[0] and _normalised_path(k[1]) == _normalised_path(op.path)
            ]
            if len(match) == 1:
                new_op = new_ops.pop(match[0])
                del old_ops[key]
                self._path_renamed(op, new_op, wire=False)
                pairs.append((op, new_op))
        # The same operationId elsewhere: the operation moved.
        for key, op in list(old_ops.items()):
            match = [k for k, n in new_ops.items() if op.operation_id and n.operation_id == op.operation_id]
            if len(match) == 1:
                new_op = new_ops.pop(match[0])
                del old_ops[key]
                self._path_renamed(op, new_op, wire=True)
                pairs.append((op, new_op))
        old_paths, new_paths = set(self.old.data.get("paths") or {}), set(self.new.data.get("paths") or {})
        for op in old_ops.values():
            label = self._label(op)
            self._add(
                "endpoint-removed",
                "breaking",
                op.pointer,
                f"{op.label} removed",
                "old clients calling it get an error from the new server",
                operation=label,
                explains=(op.pointer, *((f"/paths/{escape(op.path)}",) if op.path not in new_paths else ())),
                touches=(Touch("operation", (op.method, op.path)),),
            )
        for op in new_ops.values():
            self._add(
                "endpoint-added",
                "info",
                op.pointer,
                f"{op.label} added",
                "a new operation",
                operation=self._label(op),
                addition=True,
                explains=(op.pointer, *((f"/paths/{escape(op.path)}",) if op.path not in old_paths else ())),
                touches=(Touch("operation", (op.method, op.path)),),
            )
        for old_op, new_op in pairs:
            self._operation(old_op, new_op)
        self._security_schemes()
        return self.findings

    @staticmethod
    def _label(op: Operation) -> OperationLabel:
        return OperationLabel(op.path, op.method, op.operation_id)

    def _path_renamed(self, old: Operation, new: Operation, wire: bool) -> None:
        touches = (Touch("operation", (old.method, old.path)), Touch("operation", (new.method, new.path)))
        explains = (old.pointer, new.pointer, f"/paths/{escape(old.path)}", f"/paths/{escape(new.path)}")
        level: Level
        if wire:
            rule = "endpoint-method-changed" if old.method != new.method else "endpoint-path-changed"
            level, message = "breaking", "old clients call the old path, which the new server does not serve"
        else:
            rule, level = "request-path-parameter-renamed", "info"
            message = "path parameters renamed: the same requests on the wire"
        self._add(
            rule,
            level,
            new.pointer,
            f"{old.label} → {new.label}",
            message,
            operation=self._label(new),
            explains=explains,
            touches=touches,
        )

    def _operation(self, old: Operation, new: Operation) -> None:
        label = self._label(new)
        operation_touch = (Touch("operation", (old.method, old.path)), Touch("operation", (new.method, new.path)))
        if old.operation_id != new.operation_id:
            self._add(
                "operation-id-changed",
                "info",
                f"{new.pointer}/operationId",
                f"operationId `{old.operation_id}` → `{new.operation_id}`",
                "nothing changes on the wire; the generated module and functions are named after it",
                operation=label,
                touches=operation_touch,
            )
        if list(old.spec.get("tags") or []) != list(new.spec.get("tags") or []):
            self._add(
                "operation-tags-changed",
                "info",
                f"{new.pointer}/tags",
                f"{new.label}: tags {old.spec.get('tags')} → {new.spec.get('tags')}",
                "nothing changes on the wire; the generated module's package is named after the first tag",
                operation=label,
                touches=operation_touch,
            )
        if not old.spec.get("deprecated") and new.spec.get("deprecated"):
            self._add(
                "endpoint-deprecated",
                "info",
                f"{new.pointer}/deprecated",
                f"{new.label} deprecated",
                "still served; plan its removal",
                operation=label,
            )
        self._parameters(old, new, label)
        self._request_body(old, new, label)
        self._responses(old, new, label, operation_touch)
        self._security(old, new, label)

    # Parameters -----------------------------------------------------------------------------------------------------

    def _parameters(self, old: Operation, new: Operation, label: OperationLabel) -> None:
        old_params = self.old.parameters(old)
        new_params = self.new.parameters(new)
        # Path parameters are matched by position: renaming one changes no request.
        renamed = dict(zip(_path_parameters(old.path), _path_parameters(new.path), strict=False))
        old_params = {
            (where, renamed.get(name, name) if where == "path" else name): value
            for (where, name), value in old_params.items()
        }
        for key in new_params.keys() - old_params.keys():
            parameter, pointer, via = new_params[key]
            touches = (Touch("parameter", (new.method, new.path, key[1])),)
            context = Context("request", label, "request-parameter", f"{key[0]} parameter `{key[1]}`", touches=touches)
            if parameter.get("required") is True:
                self._found(
                    context,
                    "new-required-request-parameter",
                    "breaking",
                    pointer,
                    f"{key[0]} parameter `{key[1]}` added, required",
                    f"old clients do not send it, so the new server refuses their {new.label}",
                    explains=(pointer, *via),
                )
            else:
                self._found(
                    context,
                    "new-optional-request-parameter",
                    "info",
                    pointer,
                    f"{key[0]} parameter `{key[1]}` added, optional",
                    "old clients do not send it; the new server does without",
                    addition=True,
                    explains=(pointer, *via),
                )
        for key in old_params.keys() - new_params.keys():
            parameter, pointer, via = old_params[key]
            touches = (Touch("parameter", (old.method, old.path, key[1])),)
            context = Context("request", label, "request-parameter", f"{key[0]} parameter `{key[1]}`", touches=touches)
            self._found(
                context,
                "request-parameter-removed",
                "warning",
                pointer,
                f"{key[0]} parameter `{key[1]}` removed",
                "old clients still send it: the new server ignores it, or refuses it",
                explains=(pointer, *via),
            )
        for key in sorted(old_params.keys() & new_params.keys()):
            old_param, old_pointer, old_via = old_params[key]
            new_param, new_pointer, new_via = new_params[key]
            # The same parameter, by reference or inline: the rules below judge what it says.
            self.judged.update((old_pointer, new_pointer, *old_via, *new_via))
            where = f"{key[0]} parameter `{key[1]}`"
            touches = (Touch("parameter", (new.method, new.path, key[1])),)
            context = Context("request", label, "request-parameter", where, touches=touches)
            old_required, new_required = old_param.get("required") is True, new_param.get("required") is True
            if not old_required and new_required:
                self._found(
                    context,
                    "request-parameter-became-required",
                    "breaking",
                    new_pointer,
                    f"{where} became required",
                    f"old clients may leave it out, and the new server refuses their {new.label}",
                    explains=(f"{new_pointer}/required",),
                )
            elif old_required and not new_required:
                self._found(
                    context,
                    "request-parameter-became-optional",
                    "info",
                    new_pointer,
                    f"{where} became optional",
                    "old clients always send it, which the new server still accepts",
                    explains=(f"{new_pointer}/required",),
                )
            if "schema" in old_param and "schema" in new_param:
                self._schema(
                    old_param["schema"], f"{old_pointer}/schema", new_param["schema"], f"{new_pointer}/schema", context
                )

    # Request bodies -------------------------------------------------------------------------------------------------

    def _request_body(self, old: Operation, new: Operation, label: OperationLabel) -> None:
        if "requestBody" not in old.spec and "requestBody" not in new.spec:
            return
        touches = (Touch("parameter", (new.method, new.path, "body")),)
        context = Context("request", label, "request-body", "the request body", touches=touches)
        if "requestBody" not in old.spec:
            body, pointer, via = self.new.resolve(new.spec["requestBody"], f"{new.pointer}/requestBody")
            required = body.get("required") is True
            self._found(
                context,
                "new-required-request-body" if required else "new-optional-request-body",
                "breaking" if required else "info",
                pointer,
                f"{new.label}: request body added{', required' if required else ''}",
                "old clients send no body" + (", which the new server refuses" if required else ""),
                addition=not required,
                explains=(pointer, *via),
            )
            return
        if "requestBody" not in new.spec:
            _, pointer, via = self.old.resolve(old.spec["requestBody"], f"{old.pointer}/requestBody")
            self._found(
                context,
                "request-body-removed",
                "warning",
                pointer,
                f"{new.label}: request body removed",
                "old clients still send one: the new server ignores it, or refuses it",
                explains=(pointer, *via),
            )
            return
        old_body, old_pointer, old_via = self.old.resolve(old.spec["requestBody"], f"{old.pointer}/requestBody")
        new_body, new_pointer, new_via = self.new.resolve(new.spec["requestBody"], f"{new.pointer}/requestBody")
        self.judged.update((old_pointer, new_pointer, *old_via, *new_via))
        old_required, new_required = old_body.get("required") is True, new_body.get("required") is True
        if old_required != new_required:
            self._found(
                context,
                "request-body-became-required" if new_required else "request-body-became-optional",
                "breaking" if new_required else "info",
                new_pointer,
                f"{new.label}: request body became {'required' if new_required else 'optional'}",
                "old clients may send none, which the new server refuses"
                if new_required
                else "old clients' bodies are still accepted",
                explains=(f"{new_pointer}/required",),
            )
        old_content, new_content = old_body.get("content") or {}, new_body.get("content") or {}
        for media in old_content.keys() - new_content.keys():
            self._found(
                context,
                "request-body-media-type-removed",
                "breaking",
                f"{old_pointer}/content/{escape(media)}",
                f"{new.label}: request body `{media}` removed",
                f"old clients send `{media}`, which the new server refuses",
            )
        for media in new_content.keys() - old_content.keys():
            self._found(
                context,
                "request-body-media-type-added",
                "info",
                f"{new_pointer}/content/{escape(media)}",
                f"{new.label}: request body `{media}` added",
                "the new server accepts one more media type",
            )

        def body_context(media: str) -> Context:
            where = "the request body" if len(new_content) == 1 else f"the `{media}` request body"
            return Context("request", label, "request-body", where, touches=touches)

        self._content_schemas(old_content, old_pointer, new_content, new_pointer, body_context)

    # Responses ------------------------------------------------------------------------------------------------------

    def _responses(self, old: Operation, new: Operation, label: OperationLabel, touches: tuple[Touch, ...]) -> None:
        old_responses = {str(k).upper(): v for k, v in (old.spec.get("responses") or {}).items()}
        new_responses = {str(k).upper(): v for k, v in (new.spec.get("responses") or {}).items()}
        old_keys = {str(k).upper(): str(k) for k in (old.spec.get("responses") or {})}
        new_keys = {str(k).upper(): str(k) for k in (new.spec.get("responses") or {})}

        def pointer_of(op: Operation, keys: dict[str, str], status: str) -> str:
            return f"{op.pointer}/responses/{escape(keys[status])}"

        context = Context("response", label, "response-body", "the responses", touches=touches)

        def changed(status: str, change: str, level: Level, message: str) -> None:
            # A status added or removed: a success status, or any other (an error's).
            at = pointer_of(new, new_keys, status) if change == "added" else pointer_of(old, old_keys, status)
            kind, called = ("success", "success") if status.startswith("2") else ("non-success", "error")
            self._found(
                context,
                f"response-{kind}-status-{change}",
                level,
                at,
                f"{new.label}: {called} status {status} {change}",
                message,
            )

        removed, added = old_responses.keys() - new_responses.keys(), new_responses.keys() - old_responses.keys()
        removed_success = sorted(status for status in removed if status.startswith("2"))
        added_success = sorted(status for status in added if status.startswith("2"))
        if removed_success and added_success:
            self._found(
                context,
                "response-success-status-changed",
                "breaking",
                f"{new.pointer}/responses",
                f"{new.label}: success status {', '.join(removed_success)} → {', '.join(added_success)}",
                f"old clients do not know {', '.join(added_success)}: they read the success as undocumented",
                explains=tuple(pointer_of(old, old_keys, s) for s in removed_success)
                + tuple(pointer_of(new, new_keys, s) for s in added_success),
            )
        else:
            # Another success status the old client knows still comes back: only this one is gone.
            remaining = any(status.startswith("2") for status in old_responses.keys() & new_responses.keys())
            for status in removed_success:
                changed(
                    status, "removed", "info" if remaining else "breaking", "the new server no longer answers with it"
                )
            for status in added_success:
                changed(
                    status, "added", "warning", f"old clients read a {status} as undocumented: its body is lost to them"
                )
        for status in sorted(removed - set(removed_success)):
            changed(status, "removed", "info", "the new server no longer answers with it")
        for status in sorted(added - set(added_success)):
            changed(
                status,
                "added",
                "info",
                "old clients still fail on it, with the typed error its status selects; its body may read as "
                "undocumented",
            )
        for status in sorted(old_responses.keys() & new_responses.keys()):
            old_response, old_pointer, old_via = self.old.resolve(
                old_responses[status], pointer_of(old, old_keys, status)
            )
            new_response, new_pointer, new_via = self.new.resolve(
                new_responses[status], pointer_of(new, new_keys, status)
            )
            self.judged.update((old_pointer, new_pointer, *old_via, *new_via))
            self._response(old_response, old_pointer, new_response, new_pointer, status, label, touches)

    def _response(
        self,
        old: Mapping[str, Any],
        old_pointer: str,
        new: Mapping[str, Any],
        new_pointer: str,
        status: str,
        label: OperationLabel,
        touches: tuple[Touch, ...],
    ) -> None:
        old_content, new_content = old.get("content") or {}, new.get("content") or {}
        context = Context("response", label, "response-body", f"the {status} response body", touches=touches)
        added, removed = new_content.keys() - old_content.keys(), old_content.keys() - new_content.keys()
        if added and old_content and not old_content.keys() & new_content.keys():
            self._found(
                context,
                "response-media-type-changed",
                "breaking",
                f"{new_pointer}/content",
                f"response {status}: {', '.join(sorted(old_content))} → {', '.join(sorted(added))}",
                "old clients cannot read a body of the new media type",
            )
        else:
            for media in sorted(added):
                self._found(
                    context,
                    "response-media-type-added",
                    "warning" if old_content else "info",
                    f"{new_pointer}/content/{escape(media)}",
                    f"response {status}: body `{media}` added",
                    "old clients do not read it",
                )
            for media in sorted(removed):
                self._found(
                    context,
                    "response-media-type-removed",
                    "info",
                    f"{old_pointer}/content/{escape(media)}",
                    f"response {status}: body `{media}` removed",
                    "the new server no longer sends it",
                )
        self._content_schemas(old_content, old_pointer, new_content, new_pointer, lambda media: context)

    def _content_schemas(
        self,
        old_content: Mapping[str, Any],
        old_pointer: str,
        new_content: Mapping[str, Any],
        new_pointer: str,
        context_of: Callable[[str], Context],
    ) -> None:
        """Compare the schemas of every media type both sides have (of a request body or of a response at
        `old_pointer` and `new_pointer`), each in the context `context_of` gives it."""
        for media in sorted(old_content.keys() & new_content.keys()):
            if "schema" in old_content[media] and "schema" in new_content[media]:
                schema = f"/content/{escape(media)}/schema"
                old_schema, new_schema = old_content[media]["schema"], new_content[media]["schema"]
                self._schema(old_schema, old_pointer + schema, new_schema, new_pointer + schema, context_of(media))

    # Security -------------------------------------------------------------------------------------------------------

    @staticmethod
    def _alternatives(document: Document, op: Operation) -> tuple[set[frozenset[str]], str]:
        if "security" in op.spec:
            declared, pointer = op.spec["security"], f"{op.pointer}/security"
        else:
            declared, pointer = document.data.get("security") or [], "/security"
        return {frozenset(requirement) for requirement in declared}, pointer

    def _security(self, old: Operation, new: Operation, label: OperationLabel) -> None:
        old_alternatives, old_pointer = self._alternatives(self.old, old)
        new_alternatives, pointer = self._alternatives(self.new, new)
        explains = (pointer, old_pointer)
        old_anonymous = not old_alternatives or frozenset() in old_alternatives
        new_anonymous = not new_alternatives or frozenset() in new_alternatives
        if new_anonymous:
            return
        for alternative in sorted(old_alternatives - new_alternatives, key=sorted):
            if alternative:
                self._add(
                    "security-requirement-removed",
                    "breaking",
                    pointer,
                    f"security `{' + '.join(sorted(alternative))}` no longer accepted",
                    "old clients that authenticate with it are refused",
                    operation=label,
                    side="request",
                    explains=explains,
                )
        for alternative in sorted(new_alternatives - old_alternatives, key=sorted):
            self._add(
                "security-requirement-added",
                "breaking" if old_anonymous else "info",
                pointer,
                f"security `{' + '.join(sorted(alternative))}` {'required' if old_anonymous else 'accepted'}",
                "old clients send no credentials" if old_anonymous else "one more way to authenticate",
                operation=label,
                side="request",
                explains=explains,
            )

    def _security_schemes(self) -> None:
        old = (self.old.data.get("components") or {}).get("securitySchemes") or {}
        new = (self.new.data.get("components") or {}).get("securitySchemes") or {}
        used: set[str] = set()
        for op in self.old.operations():
            for alternative in self._alternatives(self.old, op)[0]:
                used |= alternative
        for name in sorted(old.keys() - new.keys()):
            self._add(
                "security-scheme-removed",
                "breaking" if name in used else "info",
                f"/components/securitySchemes/{escape(name)}",
                f"security scheme `{name}` removed",
                "old clients authenticating with it are refused" if name in used else "no operation used it",
            )
        for name in sorted(new.keys() - old.keys()):
            self._add(
                "security-scheme-added",
                "info",
                f"/components/securitySchemes/{escape(name)}",
                f"security scheme `{name}` added",
                "a new way to authenticate, where an operation accepts it",
            )
        for name in sorted(old.keys() & new.keys()):
            keys = ("type", "scheme", "in", "name", "bearerFormat")
            before = {key: old[name].get(key) for key in keys}
            after = {key: new[name].get(key) for key in keys}
            if before != after:
                self._add(
                    "security-scheme-changed",
                    "breaking",
                    f"/components/securitySchemes/{escape(name)}",
                    f"security scheme `{name}` changed",
                    "old clients send their credentials the old way",
                    explains=tuple(f"/components/securitySchemes/{escape(name)}/{key}" for key in keys),
                )


def _required(node: Any) -> set[str]:
    return set(node.get("required") or []) if isinstance(node, Mapping) else set()


def read_as_findings(old: Document, new: Document, old_as_read: Any, new_as_read: Any) -> list[Finding]:
    """What a changed mark changes in what the generated client requires: a property whose `required` the document
    keeps, but now (or no longer) marks assumed, is read as optional (or required) by the new client
    (`provenance.as_read_by_clients`). Nothing changes on the wire; the code rules say what it does to the code.

    Args:
        old: The old document (marks set aside).
        new: The new document (marks set aside).
        old_as_read: The old document as the clients read it, marks set aside.
        new_as_read: The new document as the clients read it, marks set aside.
    """
    findings = []
    for pointer, schema in nodes(new.data):
        if not isinstance(schema, Mapping) or not isinstance(schema.get("properties"), Mapping):
            continue
        try:
            before_doc, before_read = _required(lookup(old.data, pointer)), _required(lookup(old_as_read, pointer))
            after_read = _required(lookup(new_as_read, pointer))
        except (KeyError, IndexError, TypeError):
            continue
        name = component_name(pointer)
        for prop in schema["properties"]:
            required = prop in _required(schema)
            if required != (prop in before_doc) or (prop in before_read) == (prop in after_read):
                continue
            optional = prop not in after_read
            subject = f"`{name}.{prop}`" if name else f"`{prop}`"
            findings.append(
                Finding(
                    rule=f"response-property-read-as-{'optional' if optional else 'required'}",
                    level="info",
                    wire=False,
                    pointer=f"{pointer}/properties/{escape(prop)}",
                    title=f"{subject} read as {'optional' if optional else 'required'} by the generated client",
                    message=f"its `required` is {'now' if optional else 'no longer'} marked assumed: nothing changes "
                    "on the wire",
                    side="response",
                    explains=(),
                    touches=(Touch("property", (name, prop)),) if name else (),
                )
            )
    return findings


def wire_findings(
    old: Document, new: Document, client_requires: ClientRequires | None = None
) -> tuple[list[Finding], frozenset[str]]:
    """Every wire rule's findings for `old` → `new`, and the keywords they read and found the same in meaning."""
    rules = WireRules(old, new, client_requires)
    return rules.run(), frozenset(rules.judged)
