"""The facts of a study are computed once for the verifications of its report's edits (guardrails.facts.study_facts)."""

from __future__ import annotations

import copy
from concurrent.futures import ThreadPoolExecutor

import pytest

import guardrails.facts as facts_module
from guardrails import verify
from guardrails.facts import clear_caches, facts_of, study_facts
from reporter.domain.rules import evaluate
from reporter.domain.study import Study

LAD_TEXTS = (
    "Moderate reversible anterior defect in the LAD territory. Normal LV function.",
    "Normal myocardial perfusion. LVEF 64%.",
    "Medium fixed anterior defect consistent with scar, low risk.",
)


def test_an_equal_study_gets_the_same_facts(lad: Study) -> None:
    clear_caches()
    again = Study.model_validate(lad.model_dump())
    first = study_facts(lad)
    assert study_facts(again) is first
    assert first == facts_of(lad, evaluate(lad))


def test_a_study_with_another_value_gets_its_own_facts(lad: Study) -> None:
    clear_caches()
    older = lad.model_copy(update={"patient": lad.patient.model_copy(update={"age_years": 71})})
    assert study_facts(lad).bag["age"] == {float(lad.patient.age_years)}
    assert study_facts(older).bag["age"] == {71.0}


def test_the_findings_given_are_the_facts_read(lad: Study) -> None:
    clear_caches()
    assert [d.territory for d in study_facts(lad).defects] == ["LAD"]
    assert study_facts(lad, []).defects == []
    assert study_facts(lad, evaluate(lad)) == study_facts(lad)


def test_the_facts_of_the_rules_findings_given_serve_a_verification_without_findings(lad: Study) -> None:
    clear_caches()
    drafted = study_facts(lad, evaluate(lad))  # a draft verified against its own Findings
    assert study_facts(lad) is drafted  # the edit after it gives none: the rules' Findings are the same input
    assert study_facts(lad, []) is not drafted


def test_the_least_recently_used_study_is_forgotten(
    lad: Study, normal_exercise: Study, multivessel: Study, monkeypatch: pytest.MonkeyPatch
) -> None:
    clear_caches()
    monkeypatch.setattr(facts_module, "STUDY_FACTS_CACHED", 2)
    lad_facts, normal_facts = study_facts(lad), study_facts(normal_exercise)
    assert study_facts(lad) is lad_facts  # used last: normal_exercise is now the oldest
    study_facts(multivessel)
    assert study_facts(lad) is lad_facts
    assert study_facts(normal_exercise) is not normal_facts


def test_verifying_reads_the_shared_facts_only(lad: Study) -> None:
    clear_caches()
    facts = study_facts(lad)
    before = copy.deepcopy(facts)
    for text in LAD_TEXTS:
        for scope in ("impression", "full"):
            verify(text, lad, scope=scope)
    assert study_facts(lad) is facts
    assert facts == before


def test_threads_verifying_at_once_get_the_flags_of_one_thread(
    lad: Study, normal_exercise: Study, multivessel: Study
) -> None:
    work = [(text, study) for text in LAD_TEXTS for study in (lad, normal_exercise, multivessel)] * 3

    def flags(item: tuple[str, Study]) -> list[tuple[str, tuple[int, int] | None]]:
        return [(f.code.value, f.span) for f in verify(item[0], item[1], scope="impression")]

    clear_caches()
    alone = [flags(item) for item in work]
    clear_caches()
    with ThreadPoolExecutor(max_workers=6) as pool:
        together = list(pool.map(flags, work))
    assert together == alone
    assert alone[0] != alone[1] != alone[2]  # one text, three studies: each study's own facts
