"""The slurper's live mode: the suite is given a token and an account, and a read-only run stays in that account."""

import re

from contract_tests.live_mode.live import LiveApi
from mock_server.slurper import SlurperSettings, create_app
from mock_server.slurper.auth import DEFAULT_TOKEN
from mock_server.slurper.seed import DEMO_ACCOUNT_ID

LIVE = LiveApi(
    name="slurper",
    app=lambda: create_app(SlurperSettings(strict=True)),
    environment={"CLOUDFLARE_API_TOKEN": DEFAULT_TOKEN, "CLOUDFLARE_ACCOUNT_ID": DEMO_ACCOUNT_ID},
    secret=DEFAULT_TOKEN,
    authorizations=frozenset({f"Bearer {DEFAULT_TOKEN}"}),
    scope=re.compile(f"/accounts/{DEMO_ACCOUNT_ID}/"),
    write_methods=frozenset({"GET", "POST", "PUT", "DELETE"}),
)
