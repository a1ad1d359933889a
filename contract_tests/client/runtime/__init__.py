"""The tests of the client runtime (generator/runtime/), as it ships in each generated package: what all three
packages promise alike (retries, typed errors, secrets, tolerant reading, waiting, through a simulator's faults), the
JSON sequence reader, and each API's own runtime modules (test_<api>_<module>.py). `calls` names one read and one
write of each API; `framings` the bodies a JSON sequence may come in. The tests of the generated functions mirror
generated_client/<api>/api/<tag>/ in contract_tests/client/<api>/."""
