"""Recall sweep (guard26): a comparative against a prior study named by a noun and its date ("better than the one in
2022", "worse than the scan done in 2023") is a comparison, and "better" / "bigger" are change words.

Studies (bench/data/physician_studies):
- dev9 (LBBB, regadenoson): large fixed LAD scar (anterior, anteroseptal, apex), unchanged since the SPECT of
  2023-09-14.
- dev15 (regadenoson, two-day): the inferior (RCA) scar of 2024-05-10 has changed (worse); LVEF lower.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from guardrails import verify
from guardrails.claims import read_claims
from reporter.domain.study import Study

DEV9 = "dev9_spect_lbbb_regadenoson_lad_fixed_scar_unchanged_prior_report"
DEV15 = "dev15_spect_regadenoson_twoday_large_inferior_scar_ef38_worse_prior_report"


def _errors(text: str, study: Study) -> set[str]:
    return {f.code.value for f in verify(text, study, scope="impression") if f.severity.value == "error"}


def _comparisons(text: str) -> list[str | None]:
    return [s.value for s in read_claims(text).statements if s.concept == "comparison"]


# --- "than the one / the scan / the study <of|in|from|done in> <date>" names the prior ----------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The images look worse than the scan done in 2023.",
        "Perfusion is better than on the study from September 2023.",
        "The anterior scar looks bigger than the one of 2023.",
        "Overall this is a better result than the one in 2023.",
    ],
)
def test_a_change_against_a_dated_study_of_an_unchanged_prior_is_an_error(
    study_of: Callable[[str], Study], text: str
) -> None:
    assert "G702" in _errors(text, study_of(DEV9))


def test_the_comparison_is_read_with_its_change_word() -> None:
    assert _comparisons("The scar is worse than the one in 2021.") == ["changed"]
    assert _comparisons("Her scan is better than the study done in 2020.") == ["changed"]
    assert _comparisons("The defect is bigger than the scan of March 2022.") == ["changed"]


@pytest.mark.parametrize(
    "text",
    [
        "The anterior scar looks the same as the one of 2023.",
        "The anterior scar looks just like the one of 2023 and is unchanged.",
        # "better seen" is how well the images show a wall, not a change since the prior
        "Compared with 2023, the apex is better seen on the attenuation-corrected images and the anterior scar is "
        "unchanged.",
    ],
)
def test_an_unchanged_prior_said_unchanged_stays_clean(study_of: Callable[[str], Study], text: str) -> None:
    assert "G702" not in _errors(text, study_of(DEV9))


def test_better_seen_is_no_change_word() -> None:
    assert _comparisons("Compared with 2021, the septum is better visualised and the defect is stable.") == [
        "unchanged"
    ]


# --- the direction of the comparative, against a prior the rules find worse -----------------------------------


def test_better_than_a_dated_study_when_the_defect_is_worse_is_an_error(study_of: Callable[[str], Study]) -> None:
    assert "G702" in _errors("The inferior scar is better than the one from 2024.", study_of(DEV15))


@pytest.mark.parametrize(
    "text",
    [
        "The inferior scar is worse than the one from 2024.",
        "The inferior scar looks bigger than the one from 2024.",
    ],
)
def test_worse_or_bigger_than_a_dated_study_when_the_defect_is_worse_is_clean(
    study_of: Callable[[str], Study], text: str
) -> None:
    assert "G702" not in _errors(text, study_of(DEV15))
