"""`ast.parse`, one thread at a time.

CPython 3.11 keeps the AST constructor's recursion depth in state shared between threads, so two threads parsing at
once can fail with `SystemError: AST constructor recursion depth mismatch` (python/cpython#106905). `python -m
generator diff` builds and reads both sides' packages in two threads (diff/code.py); every parse on that path goes
through here.
"""

import ast
import threading

_ONE_AT_A_TIME = threading.Lock()


def parse(source: str, filename: str = "<unknown>") -> ast.Module:
    """Parse Python source, as `ast.parse` does, never while another thread parses."""
    with _ONE_AT_A_TIME:
        return ast.parse(source, filename=filename)
