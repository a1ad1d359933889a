"""`python -m bench [--quick] [--profile KEY]`: how fast the generated clients are, and how long the pipeline takes.

The report is a list of sections (`bench.__main__.sections`), each printing its own table: the generated clients'
per-call time beside the floor (raw httpx + json on the same in-process transport), then the time to regenerate
every client and the duration of `make conformance`. Timings are printed, never asserted.
"""
