"""The client runtime: the hand-written modules `python -m generator` copies into every generated package.

`generator/runtime/*.py` goes into every package: how requests are sent and answers read (`_responses`), what a
success body that differs from the document reports (`_drift`), the client (`client`), the errors (`errors`), the
shared types (`types`), retries, polling and the JSON sequence reader.
`generator/runtime/<api>/*.py` goes into that API's package alone: how its error body reads (`error_details`, which
takes the place of the default one here), and its helpers (waiting, pagination, log streams).

The modules are real modules, imported and type-checked (`mypy --strict`) where they live:

- a module here imports its neighbours relatively (`from .errors import ...`), as it will in the package;
  `errors` reads error bodies through `error_details`, whose default here stands for every API's own;
- a module of `<api>/` imports its neighbours in `<api>/` relatively, and everything else it needs from the package
  it is copied into, by that package's name (`from generated_client.connect.api.jobs import get_job`), so it is
  checked against the generated code it will run with.

The copy (`pipeline.shipped_text`) makes those `generated_client.<package>` imports relative, and stops on any other
import from outside the package (another API's package, the generator, `..`): a generated package imports nothing
but itself, so a user can copy it into a project under any name. The `__init__.py` files are not copied.
"""
