"""The tests of the client runtime (generator/runtime/) as it ships in each generated package, in what every package
promises alike (retries, typed errors, secrets, tolerant reading, faults), run against every API of the registry; and
the JSON sequence reader. `calls` reads what these tests call of each API from the API's own
contract_tests/client/<api>/calls.py; `framings` names the bodies a JSON sequence may come in. What is one API's own
(its runtime modules, its part of each promise) is tested in contract_tests/client/<api>/, beside the tests of its
generated functions."""
