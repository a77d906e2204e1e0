"""What "the same backend" means for the qualification rule (reporter.llm.identity), and filing a record."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from reporter.errors import BackendNotQualifiedError, InputFormatError
from reporter.service import validation_records as vr

SITE_MODEL = "2e83b71442737a5827c0e8b02e18355b9b536c8f4bd3d4734ed113631e82557f"  # sha256 of the file's sha256


def _file(session: Session, validation_record: Any, **model: Any) -> None:
    qualification = {
        "weights_sha256": None,
        "url": None,
        "qualified": True,
        "replaced": 0.1,
        "max_replaced": 0.2,
        "studies": 2,
        "sentences": 5,
        "not_qualified_because": [],
        **model,
    }
    vr.store(session, vr.parse_record(validation_record((qualification,))), by="cli")


def test_an_openai_backend_is_its_url_and_its_served_model(session: Session, validation_record: Any) -> None:
    _file(session, validation_record, backend="openai.v1", model="site-model", url="http://gpu-host:8000/v1/")
    vr.require_qualified(session, {"backend": "openai", "url": "http://gpu-host:8000/v1", "model": "site-model"})
    with pytest.raises(BackendNotQualifiedError) as other_host:
        vr.require_qualified(session, {"backend": "openai", "url": "http://gpu-2:8000/v1", "model": "site-model"})
    assert other_host.value.code == "E450"
    assert (
        "openai.v1 model 'site-model' at http://gpu-2:8000/v1 has no qualification on record: qualify it with "
        "`ncreport validate-site --studies DIR --reports DIR --llm openai --llm-url http://gpu-2:8000/v1 "
        "--llm-model site-model`"
    ) in other_host.value.message
    with pytest.raises(BackendNotQualifiedError):
        vr.require_qualified(session, {"backend": "openai", "url": "http://gpu-host:8000/v1", "model": "other"})


def test_a_local_model_is_its_name_and_the_hash_of_its_weights(
    session: Session, validation_record: Any, tmp_path: Path
) -> None:
    model_dir = tmp_path / "site-model"
    model_dir.mkdir()
    (model_dir / "model.safetensors").write_bytes(b"weights-1")
    _file(session, validation_record, backend="embedded.v1", model="site-model", weights_sha256=SITE_MODEL)
    vr.require_qualified(session, {"backend": "embedded", "model_path": model_dir})
    (model_dir / "model.safetensors").write_bytes(b"weights-2, retrained")
    with pytest.raises(BackendNotQualifiedError) as retrained:
        vr.require_qualified(session, {"backend": "embedded", "model_path": model_dir})
    assert "embedded.v1 model 'site-model' weights sha256 765ab032f0ed… has no qualification on record" in (
        retrained.value.message
    )
    with pytest.raises(BackendNotQualifiedError):  # the same weights under another engine: qualified separately
        vr.require_qualified(session, {"backend": "llamacpp", "model_path": model_dir / "model.safetensors"})


def test_the_rule_based_narrative_needs_no_qualification(session: Session) -> None:
    vr.require_qualified(session, {"backend": "none"})


def test_validate_sites_whole_output_is_taken_for_its_record(validation_record: Any) -> None:
    record = validation_record()
    parsed = vr.parse_record({"pairs": 2, "disagreements": [], "record": record})
    assert (parsed.operator, parsed.inputs_sha256) == ("QA lead", record["inputs_sha256"])


def test_a_record_that_is_not_an_object_is_refused() -> None:
    with pytest.raises(InputFormatError) as refused:
        vr.parse_record([1, 2])
    assert [(p.field, p.message) for p in refused.value.problems] == [("(root)", "not an object")]


def test_a_verdict_must_agree_with_its_reasons(validation_record: Any, fake_qualified: dict[str, Any]) -> None:
    record = validation_record(({**fake_qualified, "not_qualified_because": ["too slow"]},))
    with pytest.raises(InputFormatError) as refused:
        vr.parse_record(record)
    assert [(p.field, p.message) for p in refused.value.problems] == [
        ("models.0", "qualified is true but not_qualified_because gives reasons")
    ]


def test_the_embedded_defaults_identity_is_what_its_drafts_record() -> None:
    """The identity hashes the shipped GGUF without loading it: the same name and sha256 as a draft's provenance
    (tests/llm/test_backends.py, which loads the model)."""
    from reporter.llm.identity import BackendIdentity, backend_identity
    from reporter.llm.settings import LLMConfig

    assert backend_identity(LLMConfig(backend="embedded")) == BackendIdentity(
        "embedded.v1", "SmolLM2-135M-Instruct.Q4_1", "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"
    )
