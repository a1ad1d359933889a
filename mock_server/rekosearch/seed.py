"""The users and jobs a simulator starts with, so that whoever starts it has something to look at.

Every user starts with the same five jobs, numbered 1 to 5 from the oldest, one in each state a job can be seen in: a
job that failed critically, a processed job with results and one file that failed, a processed video job without an
e-mail, an unnamed job in the middle of processing, and a queued job (with a file that will fail). The second demo
user has two more, 6 and 7, so those ids exist for one user only: the simplest way to see that another user's job id
is not found. New users (`POST /_simulator/users`) get the standard five.
"""

from datetime import timedelta

from mock_server.rekosearch.jobs import (
    FAILED_CREDITS_RESTORED,
    PROCESSING,
    QUEUED,
    SUCCESS,
    JobUpload,
    RekoSearchJobs,
    UploadedFile,
    User,
)

STANDARD_JOBS = (
    JobUpload(
        name="old family scans",
        age=timedelta(days=6),
        files=(UploadedFile("scans.zip", 52428800, 1, 10),),
        stage=FAILED_CREDITS_RESTORED,
    ),
    JobUpload(
        name="beach photos",
        age=timedelta(days=2, hours=3),
        files=(
            UploadedFile("beach.jpg", 18234, 1, 1),
            UploadedFile("sunset.png", 25102, 1, 1),
            UploadedFile("pier.heic", 4877, 1, 1, failure="Unsupported media format"),
        ),
        stage=SUCCESS,
    ),
    JobUpload(
        name="keynote recording",
        age=timedelta(days=1, hours=7),
        files=(
            UploadedFile("keynote.mp4", 73400320, "291.52", 5),
            UploadedFile("questions.m4a", 5242880, "64.2", 2),
        ),
        notify=False,
        stage=SUCCESS,
    ),
    JobUpload(
        name=None,
        age=timedelta(hours=5),
        files=tuple(UploadedFile(f"IMG_20{index:02d}.jpg", 2_100_000 + index * 7919, 1, 1) for index in range(4)),
        stage=PROCESSING,
        progress=40,
    ),
    JobUpload(
        name="receipts march",
        age=timedelta(minutes=20),
        files=(
            UploadedFile("receipts-march.pdf", 1048576, 4, 4),
            UploadedFile("scan-0001.tiff", 3145728, 1, 1, failure="The file is corrupted"),
        ),
        stage=QUEUED,
    ),
)
SECOND_USER_EXTRA_JOBS = (
    JobUpload(
        name="garden plants",
        age=timedelta(minutes=12),
        files=(UploadedFile("roses.jpg", 912384, 1, 1), UploadedFile("tulips.jpg", 884736, 1, 1)),
        stage=SUCCESS,
    ),
    JobUpload(
        name="lecture notes",
        age=timedelta(minutes=3),
        files=(UploadedFile("lecture-07.pdf", 2359296, 12, 12),),
        stage=QUEUED,
    ),
)
DEMO_EMAILS = ("ana.popescu@example.com", "ben.okafor@example.com")


def seed_demo_users(jobs: RekoSearchJobs, first_token: str, second_token: str) -> list[User]:
    """Create the two demo users.

    Args:
        jobs: A state machine without users.
        first_token: The first user's token.
        second_token: The second user's token.

    Returns:
        The two users.
    """
    return [
        jobs.add_user(DEMO_EMAILS[0], STANDARD_JOBS, token=first_token),
        jobs.add_user(DEMO_EMAILS[1], STANDARD_JOBS + SECOND_USER_EXTRA_JOBS, token=second_token),
    ]


def add_new_user(jobs: RekoSearchJobs) -> User:
    """Create one more user with the standard jobs and a token of its own.

    Args:
        jobs: The state machine.

    Returns:
        The user.
    """
    number = len(jobs.users()) + 1
    return jobs.add_user(f"user{number}@example.com", STANDARD_JOBS)
