"""Plain-text tables with aligned columns, and durations in a unit a reader takes in at a glance."""

from collections.abc import Collection, Sequence


def render(header: Sequence[str], rows: Sequence[Sequence[str]], *, right: Collection[int] = ()) -> str:
    """An aligned table: the header, a rule, one line per row.

    Args:
        header: The column titles.
        rows: The cells, one sequence per row, as many as the header has.
        right: The indexes of the columns aligned to the right (figures); the others align left.

    Returns:
        The table, lines joined with newlines, without trailing spaces.
    """
    widths = [max(len(line[column]) for line in (header, *rows)) for column in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        aligned = (
            cell.rjust(width) if column in right else cell.ljust(width)
            for column, (cell, width) in enumerate(zip(cells, widths, strict=True))
        )
        return "  ".join(aligned).rstrip()

    return "\n".join([line(header), line(["-" * width for width in widths]), *(line(row) for row in rows)])


def duration(seconds: float) -> str:
    """`seconds` in µs, ms or s, with four significant figures at most (e.g. "231.4 µs", "18.07 ms", "61.2 s")."""
    if seconds < 1e-3:
        return f"{seconds * 1e6:.1f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds:.1f} s"
