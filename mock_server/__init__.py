"""Stateful in-memory simulators of the project's APIs, held to openapi/ on every request and response.

`mock_server.openapi` is the part every API shares (loading a document, routing, validation); each API has a package
of its own (`mock_server.slurper`) with its state machine and its Starlette app; `python -m mock_server` serves one.
"""
