"""Tolerant reading, the slurper's own part (every API's: contract_tests/client/runtime/test_tolerant_reading.py): the
v4 envelope, which a source guarantees, stays required wherever it is read; a request model stays as strict as the
document, whatever its marks."""

import pytest

from contract_tests.client.conftest import unset_able
from contract_tests.documents import load, request_example
from generated_client import slurper
from generator import provenance


def test_the_sourced_envelope_stays_required_where_it_is_read() -> None:
    # The v4 envelope's `success` (reference §4.2) is marked on SuccessEnvelope; each response model has it by allOf.
    models, unset = slurper.models, slurper.types.Unset

    for attribute in ("success", "errors", "messages", "result"):
        assert not unset_able(models.JobProgressResponse, attribute, unset)
    assert unset_able(models.JobProgress, "created_at", unset)


def test_a_request_model_stays_as_strict_as_the_document() -> None:
    # The slurper's `source` of a new job is required by assumption only, but what a client sends stays checked.
    document = load("slurper")
    mark = provenance.parse_mark(
        document["components"]["schemas"]["CreateJobRequest"]["x-provenance"]["required"]["source"], "source"
    )
    models = slurper.models

    assert mark.assumed
    assert not unset_able(models.CreateJobRequest, "source", slurper.types.Unset)
    with pytest.raises(TypeError, match="source"):
        models.CreateJobRequest(
            target=models.R2Target.from_dict(request_example("slurper", "slurper-create-job")["target"])
        )
