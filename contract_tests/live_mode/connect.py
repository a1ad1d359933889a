"""Connect's live mode: the suite is given a key and a content item; a read-only run stays in that item and kills no
job, a run with --allow-writes kills one. Its jobs last a second: the "live" item always has a running process for
the lifecycle tests."""

import re

from starlette.applications import Starlette

from contract_tests.live_mode.live import LiveApi
from mock_server.connect import ConnectSettings, create_app
from mock_server.connect.auth import DEFAULT_KEYS, Role
from mock_server.connect.jobs import ConnectJobs, Timing
from mock_server.connect.seed import SHINY_APP

OWNER_KEY = DEFAULT_KEYS[Role.OWNER]


def _killed(app: Starlette) -> bool:
    """Whether a job of the content item was killed."""
    jobs: ConnectJobs = app.state.jobs
    return any(job.kill_order is not None for job in jobs.content_item(SHINY_APP).jobs)


LIVE = LiveApi(
    name="connect",
    app=lambda: create_app(
        ConnectSettings(strict=True, timing=Timing(line_interval=0.1, job_lines=10, finalize_delay=0.25))
    ),
    environment={"CONNECT_API_KEY": OWNER_KEY, "CONNECT_CONTENT_GUID": SHINY_APP},
    secret=OWNER_KEY,
    authorizations=frozenset({f"Key {OWNER_KEY}"}),
    scope=re.compile(f"/v1/content/{SHINY_APP}/"),
    write_methods=frozenset({"GET", "DELETE"}),
    written=_killed,
)
