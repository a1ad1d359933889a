"""What every wire rule shares: the two documents, the findings recorded, and the keywords read without a finding."""

from collections.abc import Callable

from .changes import Finding, Level, OperationLabel, Side, Touch
from .documents import Document

ClientRequires = Callable[[str, str], bool]


class Rules:
    """The two documents, and what the rules found in them.

    Args:
        old: The old document.
        new: The new document.
        client_requires: Whether the old generated client requires a response property: (pointer of the schema
            whose `required` names it, property name) -> bool. Default: as the old document says.
    """

    def __init__(self, old: Document, new: Document, client_requires: ClientRequires | None = None) -> None:
        self.old, self.new = old, new
        self.client_requires = client_requires or (lambda pointer, name: True)
        self.findings: list[Finding] = []
        # Keywords read into a shape whichever way they are written: where they differ without a finding, the
        # schemas mean the same (`leftovers` then says nothing about them).
        self.judged: set[str] = set()

    # Recording ------------------------------------------------------------------------------------------------------

    def _add(
        self,
        rule: str,
        level: Level,
        pointer: str,
        title: str,
        message: str,
        *,
        operation: OperationLabel | None = None,
        side: Side = "",
        addition: bool = False,
        explains: tuple[str, ...] = (),
        touches: tuple[Touch, ...] = (),
    ) -> None:
        self.findings.append(
            Finding(
                rule=rule,
                level=level,
                wire=level == "breaking",
                pointer=pointer,
                title=title,
                message=message,
                operation=operation,
                side=side,
                addition=addition,
                explains=explains or (pointer,),
                touches=touches,
            )
        )
