"""`python -m generator diff OLD NEW`: what changed between two versions of a document, whether it breaks existing
clients on the wire, whether it breaks code written against the generated package, and what generated code it
touches.

- `documents`: the sides (a path or a git `REV:path`), validated; marks set aside; `$ref`s followed (`referencing`).
- `shapes`: a schema normalised: `allOf` merged, `oneOf`/`anyOf` as named variants, null as one flag.
- `rules`, `schema_rules`, `wire`: the wire rules, judging requests as the old client sends them and responses as
  it reads them: what a schema allows (`schema_rules`), operations, parameters, bodies, statuses and security
  (`wire`).
- `leftovers`: what no wire rule explains: wording, examples, titles, and anything else, for review.
- `surface`, `code`: the code rules: both sides generated (`pipeline.build`), their public surfaces compared.
- `report`: findings and code changes grouped into changes, linked to the generated symbols; the semver step.
- `render`: Markdown and JSON. `cli`: the command.

Nothing is imported here, so that the generator's pipeline can use `documents` without the rest.
"""
