"""Stateful in-memory simulators of the project's APIs, held to openapi/ on every request and response.

What every API shares: `mock_server.openapi` (loading a document, routing, validation), `mock_server.pipeline` (the
way every request takes, behind the layers of `mock_server.stack`), the command line (`mock_server.cli`, from each
API's `mock_server.profile.Profile`) and its start-up line (`mock_server.announcement`), and `mock_server.launcher`,
which starts one as a process. Each API has a package of its own (`mock_server.slurper`): its state machine, its
routes and its hooks into the pipeline. `python -m mock_server` serves one.
"""
