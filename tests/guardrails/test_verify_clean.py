"""verify(): the rule-based report of every example verifies without an error flag."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from guardrails import CATALOGUE, FlagCode, FlagSeverity, verify
from guardrails.checks import CHECKS
from reporter.domain.finding import Section
from reporter.domain.study import Study
from reporter.errors import InputFormatError, InputTooLargeError

EXAMPLES = sorted(p.stem for p in (Path(__file__).resolve().parents[2] / "examples").glob("*.json"))


@pytest.mark.parametrize("stem", EXAMPLES)
def test_rule_based_sections_verify_clean(
    stem: str, example: Callable[[str], Study], sections_of: Callable[[Study], list[tuple[Section, str]]]
) -> None:
    study = example(stem)
    for section, text in sections_of(study):
        scope = "impression" if section is Section.IMPRESSION else "full"
        errors = [f for f in verify(text, study, scope=scope) if f.severity is FlagSeverity.ERROR]
        assert errors == [], (section, errors)


PRIOR_REPORTS = {
    "normal": "Normal myocardial perfusion. LVEF 60%.",
    "scar": "IMPRESSION: Small fixed inferior defect consistent with prior infarction, no ischemia. LVEF 50%.",
    "ischemia": "Moderate reversible anterior wall defect (LAD) consistent with ischemia. LVEF 58%.",
}


@pytest.mark.parametrize("prior", PRIOR_REPORTS)
@pytest.mark.parametrize("stem", [s for s in EXAMPLES if s != "spect_followup_new_lateral_ischemia"])
def test_the_reading_rooms_draft_with_a_prior_report_verifies_clean(
    stem: str, prior: str, example: Callable[[str], Study]
) -> None:
    # as the service drafts and verifies it: the prior report structured and attached, the whole body verified
    # ("Changed since the prior study: new LAD-territory defect" was once read as the prior's defect: G702)
    from reporter.prior import attach_prior_report
    from reporter.render import template_set
    from reporter.service.drafting import DraftOptions, draft

    study = attach_prior_report(example(stem), PRIOR_REPORTS[prior])
    text = template_set(None).body(draft(study, DraftOptions(llm={"backend": "none"})).report)
    assert [(f.code, f.message) for f in verify(text, study) if f.severity is FlagSeverity.ERROR] == []


def test_every_code_has_a_catalogue_entry() -> None:
    assert set(CATALOGUE) == set(FlagCode)
    assert all(c.value[0] in "GN" and len(c.value) == 4 for c in FlagCode)


def test_checks_are_registered_by_versioned_name() -> None:
    assert all(name.startswith("guardrails.") and name.endswith(".v1") for name in CHECKS)


def test_empty_text_verifies_without_flags(lad: Study) -> None:
    assert verify("", lad) == []


def test_bad_input_is_refused(lad: Study) -> None:
    with pytest.raises(InputTooLargeError):
        verify("x" * 1_000_001, lad)
    with pytest.raises(InputFormatError):
        verify("LVEF 55%.", lad, scope="summary")  # type: ignore[arg-type]
    with pytest.raises(InputFormatError):
        verify("LVEF 55%.", lad, checks=["guardrails.nope.v1"])
