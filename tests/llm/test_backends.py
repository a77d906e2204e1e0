"""Real backends: the embedded model end to end, and the openai backend against a real server on loopback."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from guardrails import verify
from reporter.domain.finding import Section
from reporter.domain.study import Study
from reporter.errors import ConfigError
from reporter.llm.backends import make_backend
from reporter.llm.drafter import draft_with_llm
from reporter.llm.settings import GenerationSettings, LLMConfig
from reporter.report import Report, draft_report

SMOLLM2_SHA256 = "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"


def assert_every_model_sentence_verified(report: Report, study: Study) -> None:
    section = report.section(Section.IMPRESSION)
    assert section is not None
    for sentence in section.sentences:
        if sentence.origin != "rules":
            assert [f.code for f in verify(sentence.text, study) if f.severity == "error"] == []


UNHURRIED = LLMConfig(backend="embedded", generation=GenerationSettings(timeout_s=600))


@pytest.mark.slow
def test_embedded_model_drafts_a_verified_impression(example: Callable[[str], Study]) -> None:
    study = example("spect_normal_exercise")
    config = LLMConfig(backend="embedded", generation=GenerationSettings(timeout_s=120))
    backend = make_backend(config)
    report = draft_with_llm(draft_report(study), study, backend, config.generation)
    llm = report.provenance.llm
    assert llm is not None
    assert (llm["backend"], llm["model"], llm["weights_sha256"]) == (
        "embedded.v1",
        "SmolLM2-135M-Instruct.Q4_1",
        SMOLLM2_SHA256,
    )
    assert llm["passed_first_time"] + llm["repaired"] + llm["replaced"] == 3
    assert [f.code for f in report.flags if f.code == "N103"] == []
    assert_every_model_sentence_verified(report, study)


@pytest.mark.slow
def test_embedded_batch_gives_each_conversation_the_answer_it_gets_alone() -> None:
    from langchain_core.messages import HumanMessage, SystemMessage

    chat = make_backend(UNHURRIED).chat  # no time cut: on a busy machine it would truncate one side only
    system = SystemMessage(
        "You are a nuclear cardiology reporting assistant. Rewrite the sentence you are given "
        "as one clear sentence for a physician's report. Answer with the sentence only."
    )
    conversations = [
        [system, HumanMessage(text)]
        for text in (
            "Normal left ventricular systolic function (LVEF 64%).",
            "Severe coronary artery calcification (Agatston 612).",
            "Normal myocardial perfusion, without evidence of ischemia or infarction.",
        )
    ]
    alone = [chat.invoke(c) for c in conversations]  # each from the cached shared prefix, one by one
    together = chat.batch(conversations)  # one generate call, rows padded between prefix and text
    assert [m.content for m in together] == [m.content for m in alone]
    assert [m.usage_metadata["output_tokens"] for m in together] == [m.usage_metadata["output_tokens"] for m in alone]
    assert all(m.content and "\n" not in m.content for m in together)


@pytest.mark.slow
def test_embedded_guessed_tokens_leave_the_greedy_answers_unchanged(example: Callable[[str], Study]) -> None:
    from reporter.llm.drafter import _KEEP_RULE_BASED, NARRATIVE_SECTIONS, _messages, _prompt
    from reporter.llm.embedded import TransformersChat

    chat = make_backend(UNHURRIED).chat
    assert isinstance(chat, TransformersChat)
    report = draft_report(example("spect_lad_ischemia"))
    conversations = [
        _messages(_prompt(report.findings[s.finding], s.text))
        for section in report.sections
        if section.key in NARRATIVE_SECTIONS
        for s in section.sentences
        if s.finding is not None and s.codes[0] not in _KEEP_RULE_BASED
    ]
    one_per_step = TransformersChat(loaded=chat.loaded, lookahead=0).batch(conversations)
    guessed = chat.batch(conversations)
    assert [m.content for m in guessed] == [m.content for m in one_per_step]
    assert [m.usage_metadata["output_tokens"] for m in guessed] == [
        m.usage_metadata["output_tokens"] for m in one_per_step
    ]
    assert guessed[0].content.startswith("Myocardial perfusion is abnormal, with a medium-sized reversible defect")


@pytest.mark.slow
def test_openai_backend_against_llamacpp_server(example: Callable[[str], Study], llamacpp_server: str) -> None:
    study = example("spect_lad_ischemia")
    config = LLMConfig(
        backend="openai", url=llamacpp_server, model="smollm2-135m", generation=GenerationSettings(timeout_s=60)
    )
    report = draft_with_llm(draft_report(study), study, make_backend(config), config.generation)
    llm = report.provenance.llm
    assert llm is not None and (llm["backend"], llm["model"], llm["url"]) == (
        "openai.v1",
        "smollm2-135m",
        llamacpp_server,
    )
    assert llm["model_calls"] >= 2  # perfusion and function (no worked example of a pharmacologic stress sentence)
    assert [f.code for f in report.flags if f.code == "N103"] == []
    assert_every_model_sentence_verified(report, study)


def test_openai_backend_that_refuses_connections_gives_a_flagged_rule_based_draft(
    example: Callable[[str], Study],
) -> None:
    import socket

    with socket.socket() as s:  # a loopback port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    study = example("spect_lad_ischemia")
    config = LLMConfig(
        backend="openai", url=f"http://127.0.0.1:{port}/v1", model="m", generation=GenerationSettings(timeout_s=10)
    )
    report = draft_with_llm(draft_report(study), study, make_backend(config), config.generation)
    assert [(f.code, f.severity) for f in report.flags] == [("N103", "warning")]
    assert report.provenance.narrative == "rule-based"
    assert report.text_of(Section.IMPRESSION) == draft_report(study).text_of(Section.IMPRESSION)


def test_openai_backend_needs_url_and_model() -> None:
    with pytest.raises(ValueError, match="the openai backend needs --llm-url and --llm-model"):
        LLMConfig(backend="openai")


def test_unknown_backend_is_a_config_error() -> None:
    with pytest.raises(ConfigError) as info:
        make_backend(LLMConfig(backend="gpt5"))
    assert info.value.code == "E104"


def test_lookup_guesses_what_followed_the_latest_earlier_occurrence() -> None:
    from reporter.llm.embedded import _Lookup

    lookup = _Lookup([5, 1, 2, 3, 4, 1, 2], longest=3)
    assert lookup.guess([], 2) == [3, 4]  # "1 2" was followed by "3 4"
    assert lookup.guess([3], 3) == [4, 1, 2]  # the generated token joins the text searched
    assert lookup.guess([3, 9], 3) == []  # "9" never occurred before
    assert lookup.guess([3, 9, 4], 5) == [1, 2, 3, 9, 4]  # runs on into the generated tokens
    assert lookup.guess([3, 9, 4], 0) == []


def test_answer_is_cut_where_decoding_stopped() -> None:
    from reporter.llm.embedded import _first_sentence

    assert _first_sentence(" LVEF is 64%. The study") == "LVEF is 64%."
    assert _first_sentence("MFR is 1.35, reduced\nNext line") == "MFR is 1.35, reduced"
    assert _first_sentence("No stop at all") == "No stop at all"


def test_the_service_drafts_with_the_embedded_model_and_the_command_line_with_rules(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    # On a busy 2-core machine a cold embedded draft takes over a minute and ends in N103 anyway, so the
    # one-shot command asks for a model only when told; the service keeps the model loaded.
    from typer.testing import CliRunner

    from reporter.cli import app

    monkeypatch.delenv("NCREPORT_LLM_BACKEND", raising=False)
    assert LLMConfig().backend == "embedded"
    study = Path(__file__).resolve().parents[2] / "examples" / "spect_lad_ischemia.json"
    out = tmp_path / "draft.json"
    assert CliRunner().invoke(app, ["draft", str(study), "-f", "json", "-o", str(out)]).exit_code == 0
    assert json.loads(out.read_text())["provenance"]["narrative"] == "rule-based"
    result = CliRunner().invoke(
        app, ["draft", str(study), "-f", "json", "-o", str(out)], env={"NCREPORT_LLM_BACKEND": "fake"}
    )
    assert result.exit_code == 0
    assert json.loads(out.read_text())["provenance"]["narrative"].startswith("fake.v1")
