"""Tests of the simulators: `cd /work/main && .venv/bin/python -m pytest mock_server/tests -q -p no:cacheprovider`."""
