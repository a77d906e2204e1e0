"""Comparison sentences that were false errors (issue 15, round 11): a year read as a finding's extent, and "already
present" in a relative clause read as "unchanged" against the change its main clause states.

Studies (bench/data/physician_studies):
- dev9 (LBBB, regadenoson): large fixed LAD scar (anterior, anteroseptal, apex), unchanged since the SPECT of
  2023-09-14.
- dev13 (dobutamine): the fixed inferior (RCA) scar of 2023-05-10 unchanged; new LAD ischemia.
- dev15 (regadenoson, two-day): the inferior (RCA) scar of 2024-05-10 has changed (larger); LVEF lower.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from guardrails import verify
from guardrails.claims import read_claims
from reporter.domain.study import Study

DEV9 = "dev9_spect_lbbb_regadenoson_lad_fixed_scar_unchanged_prior_report"
DEV13 = "dev13_spect_dobutamine_atropine_inferior_scar_stable_new_lad_ischemia_prior_report"
DEV15 = "dev15_spect_regadenoson_twoday_large_inferior_scar_ef38_worse_prior_report"


def _errors(text: str, study: Study) -> set[str]:
    return {f.code.value for f in verify(text, study, scope="impression") if f.severity.value == "error"}


# --- a year dates a finding; it is not a value ----------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The anterior and apical scar of 2023 is unchanged.",
        "The anterior scar seen on the 2023 scan is unchanged.",
        "The anterior scar, first described in September 2023, is unchanged.",
        "The anterior scar is unchanged since 2023.",
        "The large anterior infarct dated 2023 shows no interval change.",
    ],
)
def test_a_year_beside_a_finding_is_no_number(study_of: Callable[[str], Study], text: str) -> None:
    errors = _errors(text, study_of(DEV9))
    assert not {code for code in errors if code.startswith("G1")}, errors
    assert "G702" not in errors


def test_a_year_is_not_read_as_the_scar_extent() -> None:
    claims = read_claims("The inferior and inferolateral scar of 2023 is unchanged.")
    assert [n.value for n in claims.numbers] == []


def test_a_real_extent_after_the_dated_finding_is_still_read() -> None:
    claims = read_claims("The inferior scar of 2023 is unchanged (scar 19% of the LV); LVEF 20%.")
    assert [(n.value, n.quantity) for n in claims.numbers] == [(19.0, "scar_percent"), (20.0, "lvef")]


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("Coronary calcium score of 2010.", [2010.0]),
        ("Agatston 2010.", [2010.0]),
        ("The calcium score has risen from 2010 to 2400 Agatston units.", [2010.0, 2400.0]),
    ],
)
def test_a_calcium_score_right_after_its_label_stays_a_value(text: str, values: list[float]) -> None:
    claims = read_claims(text)
    assert [(n.value, n.quantity) for n in claims.numbers] == [(v, "cac") for v in values]


def test_a_calcium_score_dated_by_its_year_keeps_only_the_score() -> None:
    claims = read_claims("The calcium score was 450 in 2021.")
    assert [(n.value, n.quantity) for n in claims.numbers] == [(450.0, "cac")]


def test_a_dated_scar_said_to_have_grown_is_still_wrong(study_of: Callable[[str], Study]) -> None:
    assert "G702" in _errors("The anterior scar of 2023 has grown.", study_of(DEV9))


# --- "already present" in a relative clause says the finding existed then -------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The inferior defect, which was already present on the previous scan, has grown.",
        "The inferior scar, which was already seen on the prior study, has become larger.",
        "The inferior defect that was already evident on the previous scan has enlarged.",
        "The inferior scar was already present on the prior scan and has increased in size.",
    ],
)
def test_a_change_in_the_main_clause_wins_over_already_present(study_of: Callable[[str], Study], text: str) -> None:
    assert "G702" not in _errors(text, study_of(DEV15))


@pytest.mark.parametrize(
    "text",
    [
        "The anterior scar, which was already present on the previous scan, has grown.",
        "The anterior scar, which was already seen on the prior study, has become larger.",
        "The anterior defect that was already evident on the previous scan has enlarged.",
    ],
)
def test_a_change_claimed_on_an_unchanged_study_is_still_flagged(study_of: Callable[[str], Study], text: str) -> None:
    assert "G702" in _errors(text, study_of(DEV9))


def test_already_present_alone_still_says_unchanged(study_of: Callable[[str], Study]) -> None:
    text = "The inferior scar was already present on the prior scan and is unchanged."
    assert "G702" in _errors(text, study_of(DEV15))
    assert "G702" not in _errors(
        "The anterior scar, which was already present on the previous scan, is unchanged.", study_of(DEV9)
    )


def test_a_new_finding_said_already_present_is_still_flagged(study_of: Callable[[str], Study]) -> None:
    # the LAD ischemia of dev13 is new: "already present" gives the prior a finding it did not have
    text = "The anterior ischemia, which was already present on the previous scan, has worsened."
    assert "G702" in _errors(text, study_of(DEV13))
