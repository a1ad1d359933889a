"""A diff for people (Markdown) and for machines (JSON), with the same content."""

import json
from typing import Any

from .changes import LEVELS, Change, Finding, OperationLabel
from .leftovers import RULES
from .report import Report

_SHOWN_OPERATIONS = 4


def _headline(report: Report) -> str:
    breaks = report.breaks
    if not report.changes:
        return "**No changes.**"
    if breaks == ["wire", "code"]:
        verdict = "**Breaks existing clients on the wire, and code written against the old package.**"
    elif breaks == ["wire"]:
        verdict = "**Breaks existing clients on the wire.**" + (
            " Code written against the old package still works." if report.code_compared else ""
        )
    elif breaks == ["code"]:
        verdict = "**Breaks code written against the old package;** nothing breaks on the wire."
    else:
        verdict = "**Breaks nothing.**"
    warnings = report.count("warning")
    counts = (
        f"{report.count('breaking')} breaking, {warnings} warning{'s' * (warnings != 1)}, {report.count('info')} info"
    )
    code = "" if report.code_compared else " The generated code was not compared (`--no-code`)."
    return f"{verdict} {counts}. Semver: {report.bump}.{code}"


def notes(findings: list[Finding]) -> list[dict[str, Any]]:
    """The findings of a change, one per side, level and message (the rules that said it and the operations that meet
    it listed), breaking first."""
    grouped: dict[tuple[str, str, str], dict[str, Any]] = {}
    for finding in findings:
        note = grouped.setdefault(
            (finding.side, finding.level, finding.message),
            {"side": finding.side, "level": finding.level, "message": finding.message, "rules": [], "operations": []},
        )
        if finding.rule not in note["rules"]:
            note["rules"].append(finding.rule)
        if finding.operation is not None and finding.operation not in note["operations"]:
            note["operations"].append(finding.operation)
    return sorted(grouped.values(), key=lambda note: -LEVELS.index(note["level"]))


def _operations(operations: list[OperationLabel]) -> str:
    shown = ", ".join(str(operation) for operation in operations[:_SHOWN_OPERATIONS])
    more = len(operations) - _SHOWN_OPERATIONS
    return shown + (f" and {more} more" if more > 0 else "")


def _breaks(change: Change) -> str:
    return " and ".join(change.breaks) or "nothing"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown(reports: list[Report]) -> str:
    """The reports as Markdown: per document a verdict, a table of the changes, then each change in detail."""
    lines: list[str] = []
    for report in reports:
        name = f"`{report.api}`: " if report.api else ""
        lines += [f"## {name}`{report.old}` → `{report.new}`", "", _headline(report), ""]
        if not report.changes:
            continue
        lines += ["| # | level | breaks | change | where |", "|---|---|---|---|---|"]
        for number, change in enumerate(report.changes, 1):
            where = f"`#{change.pointer}`" if change.pointer else "generated code"
            lines.append(f"| {number} | {change.level} | {_breaks(change)} | {_cell(change.title)} | {_cell(where)} |")
        lines.append("")
        for number, change in enumerate(report.changes, 1):
            lines += [f"### {number}. {change.title}", ""]
            lines.append(f"- **{change.level}**, breaks {_breaks(change)}")
            if change.pointer:
                operations = change.operations
                lines.append(
                    f"- where: `#{change.pointer}`"
                    + (
                        f", in {len(operations)} operation{'s' * (len(operations) != 1)}: {_operations(operations)}"
                        if operations
                        else ""
                    )
                )
            for note in notes(change.findings):
                side = f"{note['side']}s" if note["side"] else "document" if note["rules"][0] in RULES else "wire"
                rules = ", ".join(f"`{rule}`" for rule in note["rules"])
                lines.append(f"- {side}: {note['message']} ({rules}; {note['level']})")
            if not change.findings:
                lines.append("- found in the generated code only; nothing changes on the wire")
            if change.touches:
                lines.append(f"- generated code touched: {', '.join(f'`{symbol}`' for symbol in change.touches)}")
            for code in change.code:
                verdict = "breaks code" if code.breaking else "addition" if code.addition else "compatible"
                lines.append(f"- code: {code.message} (`{code.rule}`, {verdict})")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _change_json(change: Change) -> dict[str, Any]:
    return {
        "title": change.title,
        "level": change.level,
        "breaks": change.breaks,
        "pointer": change.pointer,
        "operations": [
            {"operation_id": operation.operation_id, "method": operation.method.upper(), "path": operation.path}
            for operation in change.operations
        ],
        "rules": change.rules,
        "findings": [
            {**note, "operations": [str(operation) for operation in note["operations"]]}
            for note in notes(change.findings)
        ],
        "touches": change.touches,
        "code": [
            {
                "rule": code.rule,
                "symbols": list(code.symbols),
                "old_symbols": list(code.old_symbols),
                "breaking": code.breaking,
                "addition": code.addition,
                "message": code.message,
            }
            for code in change.code
        ],
    }


def as_json(reports: list[Report]) -> str:
    """The reports as JSON: what the Markdown says, per document and per change."""
    documents = [
        {
            "api": report.api,
            "old": report.old,
            "new": report.new,
            "code_compared": report.code_compared,
            "breaks": report.breaks,
            "bump": report.bump,
            "counts": {level: report.count(level) for level in ("breaking", "warning", "info")},
            "changes": [_change_json(change) for change in report.changes],
        }
        for report in reports
    ]
    breaks = [name for name in ("wire", "code") if any(name in report.breaks for report in reports)]
    return json.dumps({"breaks": breaks, "documents": documents}, indent=2, ensure_ascii=False) + "\n"
