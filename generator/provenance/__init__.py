"""Where every fact of a document comes from: sourced (a seed, a section of the reference, the vendor's own schema) or
assumed (this project's best guess, with its reason).

A document states two kinds of facts, and both carry their mark in the document itself:

- **Constraints**: a keyword that narrows what a server may send or must accept (`required`, bounds, lengths,
  `pattern`, `format`, a closed `enum` or `const`, a `type`), a media type, a status code. The mark sits in an
  `x-provenance` object beside the keyword, in the object that holds it::

      limit:
        schema:
          type: integer
          minimum: 1
          x-provenance:
            minimum:
              assumed: A page of no jobs has no meaning.
      Job:
        required: [id, status]
        x-provenance:
          required:
            id:
              sourced: reference §5

  On a parameter or a request body `x-provenance.required` marks its `required: true`; on a media type object
  `x-provenance.mediaType` marks the media type; on a response object `x-provenance.status` marks the status.
- **Behaviour**: what the conformance suite expects beyond the schema (an unknown route's answer, a state machine's
  rule). Each is an entry of the document's root `x-facts`, named, with a `statement` and its mark; the suite's checks
  and lifecycle assertions name the fact they enforce, and `checks` lists schemathesis' own checks that stand on it.
  A behaviour can also be declared where it applies, with its own mark: `x-echo` on an operation (a response value
  must equal what the request asked: the job of the path, the bucket of the body) or on a link (the linked
  operation's answer must echo the linking request), each `{response: <runtime expression>, request: <runtime
  expression>, sourced|assumed: ...}` (`Echo`). The root `x-jobs` (`Jobs`) says what a job is across reads: which
  fields never change, how its status moves, which list holds every job. `facts` lists all of them.

A mark is `{sourced: <citation>}` or `{assumed: <reason>}`. A citation starts with `official` (the vendor's schema),
`seed NNN` or `reference §N`. The audit (`audit`) walks a document against the facts its sources state (the document's
`x-sources.baseline`: the vendor's schema, or a table of sourced facts written as an OpenAPI fragment) and reports
every constraint the sources do not state that carries no mark. `sourced_only` gives the document with every assumed
constraint taken out: what a server that honours the vendor's contract must satisfy.
"""

from .audit import Audit, Sources, audit, load_baseline, reference_sections, sources
from .jobs import JOBS, CompleteList, Jobs, Moves, jobs
from .lists import readme_section, with_readme_section
from .marks import (
    ECHO,
    FACTS,
    KINDS,
    SOURCES,
    SUITE_ANNOTATIONS,
    Echo,
    Fact,
    Mark,
    MarkedNode,
    as_read_by_clients,
    assumed_marks,
    check_marks,
    echoes,
    facts,
    mark_of,
    marked,
    parse_mark,
    request_schemas,
    sourced_only,
)
from .walk import (
    HTTP_METHODS,
    MARKS,
    MEDIA_TYPE,
    SCHEMA_KEYWORDS,
    STATUS,
    Constraint,
    OperationRef,
    ProvenanceError,
    constraints,
    covered,
    escape,
    index,
    lookup,
    operation_constraints,
    operations,
    parameters,
    resolve,
    schema_constraints,
)

__all__ = [
    "ECHO",
    "FACTS",
    "HTTP_METHODS",
    "JOBS",
    "KINDS",
    "MARKS",
    "MEDIA_TYPE",
    "SCHEMA_KEYWORDS",
    "SOURCES",
    "STATUS",
    "SUITE_ANNOTATIONS",
    "Audit",
    "CompleteList",
    "Constraint",
    "Echo",
    "Fact",
    "Jobs",
    "Mark",
    "MarkedNode",
    "Moves",
    "OperationRef",
    "ProvenanceError",
    "Sources",
    "as_read_by_clients",
    "assumed_marks",
    "audit",
    "check_marks",
    "constraints",
    "covered",
    "echoes",
    "escape",
    "facts",
    "index",
    "jobs",
    "load_baseline",
    "lookup",
    "mark_of",
    "marked",
    "operation_constraints",
    "operations",
    "parameters",
    "parse_mark",
    "readme_section",
    "reference_sections",
    "request_schemas",
    "resolve",
    "schema_constraints",
    "sourced_only",
    "sources",
    "with_readme_section",
]
