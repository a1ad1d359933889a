"""The demo jobs a simulator starts with, so that whoever starts it has something to look at.

One account, `DEMO_ACCOUNT_ID` (the account id the document uses in its examples), with a completed S3 job and a GCS
job that is still running. Their ids follow from the id seed, so they are the same on every start.
"""

import math

from mock_server.slurper.jobs import MAX_OBJECTS, OBJECTS_PER_STEP, SuperSlurper

DEMO_ACCOUNT_ID = "023e105f4ecef8ad9ca31a8372d0c353"


def seed_demo_jobs(slurper: SuperSlurper) -> dict[str, list[str]]:
    """Create the demo jobs.

    Args:
        slurper: A state machine with no jobs in `DEMO_ACCOUNT_ID`.

    Returns:
        The created job ids by account id, oldest first.
    """
    completed = slurper.create_job(
        DEMO_ACCOUNT_ID,
        {
            "overwrite": True,
            "source": {"vendor": "s3", "bucket": "media-archive", "pathPrefix": "photos/2026/"},
            "target": {"vendor": "r2", "bucket": "media-archive", "jurisdiction": "default"},
        },
    )
    slurper.advance(DEMO_ACCOUNT_ID, completed, steps=math.ceil(MAX_OBJECTS / OBJECTS_PER_STEP))
    running = slurper.create_job(
        DEMO_ACCOUNT_ID,
        {
            "overwrite": False,
            "source": {"vendor": "gcs", "bucket": "analytics-exports"},
            "target": {"vendor": "r2", "bucket": "analytics-exports-eu", "jurisdiction": "eu"},
        },
    )
    slurper.advance(DEMO_ACCOUNT_ID, running, steps=2)
    return {DEMO_ACCOUNT_ID: [completed, running]}
