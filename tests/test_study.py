"""Input validation: invalid studies cannot be built, and errors name the field and the reason."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from reporter.domain.study import Study
from reporter.domain.vocabulary import SEGMENTS, TERRITORY_SEGMENTS, segment, walls_of
from reporter.errors import InputFormatError, InputTooLargeError, StudyValidationError
from reporter.inputs import parse_study


def test_seventeen_segments_with_aha_territories() -> None:
    assert len(SEGMENTS) == 17
    assert TERRITORY_SEGMENTS["LAD"] == (1, 2, 7, 8, 13, 14, 17)
    assert TERRITORY_SEGMENTS["RCA"] == (3, 4, 9, 10, 15)
    assert TERRITORY_SEGMENTS["LCx"] == (5, 6, 11, 12, 16)
    assert (segment(11).name, segment(11).wall, segment(11).level) == ("mid inferolateral", "inferolateral", "mid")
    assert walls_of([17, 13, 8]) == ("anterior", "anteroseptal", "apex")


@pytest.mark.parametrize("number", [0, 18, -1])
def test_segment_outside_1_to_17_is_refused(number: int) -> None:
    with pytest.raises(ValueError, match="segment number must be 1-17"):
        segment(number)


def problems(data: dict[str, Any]) -> list[str]:
    import json

    with pytest.raises(StudyValidationError) as info:
        parse_study(json.dumps(data))
    assert info.value.code == "E101"
    return [str(p) for p in info.value.problems]


@pytest.mark.parametrize(
    ("block", "patch", "expected"),
    [
        (
            "function",
            {"stress_lvef_percent": 150},
            "function.stress_lvef_percent: Input should be less than or equal to 100 (got 150)",
        ),
        (
            "function",
            {"stress_edv_ml": 80, "stress_esv_ml": 90},
            "function: stress ESV 90.0 mL must be below EDV 80.0 mL",
        ),
        (
            "patient",
            {"age_years": 60, "sex": "unknown"},
            "patient.sex: Input should be 'male' or 'female' (got 'unknown')",
        ),
        (
            "perfusion",
            {"summed_stress_score": 8, "summed_rest_score": 2, "summed_difference_score": 4},
            "perfusion: SDS 4 must equal SSS - SRS = 8 - 2 = 6",
        ),
        ("stress", {"type": "pharmacologic"}, "stress: stress type pharmacologic needs an agent"),
        (
            "stress",
            {"type": "exercise", "rest_sbp_mmhg": 120, "rest_dbp_mmhg": 130},
            "stress: rest diastolic BP 130.0 is not below systolic 120.0",
        ),
        ("flow", {"mfr": 2.0}, "(root): flow (MBF/MFR) is given for a non-PET study"),
        (
            "calcium",
            {"agatston_total": -5},
            "calcium.agatston_total: Input should be greater than or equal to 0 (got -5)",
        ),
    ],
)
def test_out_of_range_and_contradictory_values(
    study_dict: Callable[..., dict[str, Any]], block: str, patch: dict[str, Any], expected: str
) -> None:
    data = study_dict()
    data[block] = patch
    assert expected in problems(data)


def test_segment_scores_must_be_0_to_4_and_cover_17_segments(study_dict: Callable[..., dict[str, Any]]) -> None:
    data = study_dict()
    data["perfusion"]["segments"][0]["stress"] = 5
    assert problems(data) == ["perfusion.segments[0].stress: Input should be less than or equal to 4 (got 5)"]
    data = study_dict()
    data["perfusion"]["segments"] = data["perfusion"]["segments"][:15]
    assert problems(data) == ["perfusion: segment scores must cover all 17 segments; missing [16, 17]"]


def test_rv_uptake_is_read_as_normal_increased_or_absent(study_dict: Callable[..., dict[str, Any]]) -> None:
    data = study_dict()
    assert Study.model_validate(data).perfusion.rv_uptake is None  # a study written before the field
    data["perfusion"]["rv_uptake"] = "increased"
    assert Study.model_validate(data).perfusion.rv_uptake == "increased"
    data["perfusion"]["rv_uptake"] = "dilated"  # a size is no uptake
    assert problems(data) == ["perfusion.rv_uptake: Input should be 'normal' or 'increased' (got 'dilated')"]


def test_rv_uptake_is_described_in_the_schema() -> None:
    field = Study.model_json_schema()["$defs"]["Perfusion"]["properties"]["rv_uptake"]
    assert "pulmonary hypertension" in field["description"]


def test_right_bundle_branch_block_is_a_baseline_ecg(study_dict: Callable[..., dict[str, Any]]) -> None:
    data = study_dict(stress={"type": "exercise", "baseline_ecg": "right bundle branch block"})
    assert Study.model_validate(data).stress_test.baseline_ecg == "right bundle branch block"


def test_unknown_field_and_missing_field_are_named(study_dict: Callable[..., dict[str, Any]]) -> None:
    data = study_dict()
    data["patient"]["lvef"] = 50
    del data["clinical"]["indication"]
    assert problems(data) == [
        "patient.lvef: Extra inputs are not permitted",  # an unknown key's value is withheld
        "clinical.indication: Field required",
    ]


def test_identifier_values_are_never_echoed(study_dict: Callable[..., dict[str, Any]]) -> None:
    data = study_dict()
    data["patient"]["birth_date"] = "DOE^JANE-1961"
    assert problems(data) == ["patient.birth_date: Input should be a valid date or datetime, invalid character in year"]


def test_activity_in_mci_is_converted_to_mbq(make_study: Callable[..., Study]) -> None:
    study = make_study()
    assert [d.activity.mbq for d in study.procedure.tracers if d.activity] == [370.0, 1110.0]


def test_implausible_activity_names_the_unit(study_dict: Callable[..., dict[str, Any]]) -> None:
    data = study_dict()
    data["procedure"]["tracers"][1]["activity"] = {"value": 1110, "unit": "mCi"}
    assert problems(data) == ["procedure.tracers[1].activity: activity 1110.0 mCi is above 5000 MBq; check the unit"]


def test_percent_of_maximal_heart_rate_and_identifiers_hidden(make_study: Callable[..., Study]) -> None:
    study = make_study(
        patient={"age_years": 60, "sex": "male", "name": "DOE^JANE", "mrn": "12345"},
        stress={"type": "exercise", "peak_hr_bpm": 136},
    )
    assert (study.age_predicted_max_hr_bpm, study.percent_mphr) == (160, 85.0)
    assert "DOE" not in repr(study) and "12345" not in repr(study)
    assert "DOE" not in study.model_dump_json()


@pytest.mark.parametrize(
    ("data", "error", "message"),
    [
        (b"", InputFormatError, "[E102] study is empty"),
        (b"[1, 2]", InputFormatError, "[E102] study must be a JSON object, not list"),
        (b'{"patient": ', InputFormatError, "[E102] study is not valid JSON: Expecting value at line 1, column 13"),
        (b"\xff\xfe{}", InputFormatError, "[E102] study is not UTF-8 text (byte 0)"),
        (b"{" + b" " * 100 + b"}", InputTooLargeError, "[E103] study is 102 bytes; the limit is 50 bytes"),
    ],
)
def test_malformed_input_is_a_clear_error(data: bytes, error: type[Exception], message: str) -> None:
    with pytest.raises(error) as info:
        parse_study(data, limit=50 if len(data) > 100 else 5_000_000)
    assert str(info.value) == message


def test_a_dumped_study_loads_again(example: Callable[[str], Study]) -> None:
    study = example("spect_followup_new_lateral_ischemia")
    assert Study.model_validate_json(study.model_dump_json()) == study


@pytest.mark.parametrize(
    ("block", "change", "message"),
    [
        ("stress", {"atropine_mg": 0.5}, "stress: atropine_mg is given without dobutamine stress"),
        (
            "procedure",
            {"first_day": "stress"},
            "procedure: first_day is given for a rest-stress protocol; it applies to two-day only",
        ),
        ("prior", {"edv_ml": 80, "esv_ml": 90}, "prior: prior ESV 90.0 mL must be below EDV 80.0 mL"),
        (
            "clinical",
            {"beta_blocker": "sometimes"},
            "clinical.beta_blocker: Input should be 'taken', 'held' or 'not prescribed' (got 'sometimes')",
        ),
    ],
)
def test_the_new_clinical_inputs_are_validated(
    study_dict: Callable[..., dict[str, Any]], block: str, change: dict[str, Any], message: str
) -> None:
    data = study_dict()
    data[block] = {**data.get(block, {}), **change}
    assert problems(data) == [message]


def test_redistribution_scores_need_thallium(study_dict: Callable[..., dict[str, Any]]) -> None:
    data = study_dict()
    data["perfusion"]["segments"][0]["redistribution"] = 1
    assert problems(data) == ["(root): redistribution scores are given but no Tl-201 dose is"]


def test_the_new_clinical_inputs_reach_the_report(make_study: Callable[..., Study]) -> None:
    from reporter.domain.finding import Section
    from reporter.report import draft_report

    study = make_study(
        clinical={
            "indication": "Chest pain.",
            "medications": ["metoprolol", "aspirin"],
            "beta_blocker": "held",
            "chest_pain_type": "typical angina",
        },
        patient={"age_years": 60, "sex": "male", "height_cm": 180, "weight_kg": 90},
    )
    section = draft_report(study).section(Section.INDICATION)
    assert section is not None
    assert [s.text for s in section.sentences][1:] == [
        "60-year-old man; chest pain: typical angina.",
        "Height 180 cm, weight 90 kg, body mass index 27.8 kg/m2.",
        "Medications: metoprolol and aspirin; beta-blocker held before the test.",
    ]


# --- Tl-201 stress-redistribution (ASNC-PROTOCOLS-2016): one stress injection, redistribution images later ------


def test_a_thallium_stress_redistribution_study_is_accepted(tl201_redistribution: Study) -> None:
    p = tl201_redistribution.procedure
    assert (p.protocol.value, [(d.tracer.value, d.phase) for d in p.tracers], p.redistribution_delay_h) == (
        "stress-redistribution",
        [("Tl-201", "stress")],
        4.0,
    )
    assert p.later_images == "redistribution"
    perfusion = tl201_redistribution.perfusion
    assert (perfusion.has_rest, perfusion.has_redistribution) == (False, True)
    assert (perfusion.sss, perfusion.srs, perfusion.sds) == (8, 2, 6)


def test_the_summed_redistribution_score_is_summed_from_the_segments(tl201_redistribution_dict: dict[str, Any]) -> None:
    for key in ("summed_stress_score", "summed_rest_score", "summed_difference_score"):
        del tl201_redistribution_dict["perfusion"][key]
    perfusion = Study.model_validate(tl201_redistribution_dict).perfusion
    assert (perfusion.sss, perfusion.srs, perfusion.sds) == (8, 2, 6)
    assert perfusion.later_scores("redistribution") == {n: {4: 1, 10: 1}.get(n, 0) for n in range(1, 18)}
    assert perfusion.later_scores("rest") is None


def _with(data: dict[str, Any], block: str, **changes: Any) -> dict[str, Any]:
    data[block] = {**data[block], **changes}
    return data


@pytest.mark.parametrize(
    ("block", "changes", "message"),
    [
        (
            "procedure",
            {"tracers": [{"tracer": "Tl-201", "phase": "stress"}, {"tracer": "Tl-201", "phase": "rest"}]},
            "procedure: protocol stress-redistribution takes no rest tracer dose (its redistribution images follow the "
            "one stress injection); tracers give a rest dose of Tl-201",
        ),
        (
            "procedure",
            {"tracers": [{"tracer": "Tc-99m sestamibi", "phase": "stress"}]},
            "procedure: protocol stress-redistribution needs one Tl-201 stress dose; tracers give Tc-99m sestamibi",
        ),
        (
            "procedure",
            {"redistribution_delay_h": 0},
            "procedure.redistribution_delay_h: Input should be greater than 0 (got 0)",
        ),
        (
            "perfusion",
            {
                "segments": [{"segment": n, "stress": 0, "rest": 0} for n in range(1, 18)],
                "summed_stress_score": None,
                "summed_rest_score": None,
                "summed_difference_score": None,
            },
            "perfusion: rest scores are given for a stress-redistribution protocol; give the delayed Tl-201 images' "
            "scores as redistribution",
        ),
        (
            "perfusion",
            {
                "segments": [{"segment": n, "stress": 0} for n in range(1, 18)],
                "summed_stress_score": None,
                "summed_rest_score": None,
                "summed_difference_score": None,
            },
            "perfusion: a stress-redistribution protocol needs each segment's redistribution score",
        ),
        (
            "perfusion",
            {"summed_rest_score": 3, "summed_difference_score": None},
            "perfusion: SRS 3 differs from the sum of the segment redistribution scores 2",
        ),
    ],
)
def test_a_stress_redistribution_study_is_refused_with_the_field_and_reason(
    tl201_redistribution_dict: dict[str, Any], block: str, changes: dict[str, Any], message: str
) -> None:
    assert problems(_with(tl201_redistribution_dict, block, **changes)) == [message]


def test_a_redistribution_delay_needs_a_redistribution_protocol(
    study_dict: Callable[..., dict[str, Any]],
) -> None:
    data = _with(study_dict(), "procedure", redistribution_delay_h=4)
    assert problems(data) == [
        "procedure: redistribution_delay_h is given for a rest-stress protocol; it applies to "
        "stress-redistribution and rest-redistribution only"
    ]


def test_a_thallium_reinjection_entered_as_stress_rest_is_still_accepted(
    tl201_redistribution_dict: dict[str, Any],
) -> None:
    # backward compatible: before the protocol existed, a reinjection was the rest dose of a stress-rest study
    data = _with(
        tl201_redistribution_dict,
        "procedure",
        protocol="stress-rest",
        redistribution_delay_h=None,
        tracers=[{"tracer": "Tl-201", "phase": "stress"}, {"tracer": "Tl-201", "phase": "rest"}],
    )
    data["perfusion"]["segments"] = [{**s, "rest": s.pop("redistribution")} for s in data["perfusion"]["segments"]]
    study = Study.model_validate(data)
    assert (study.procedure.later_images, study.perfusion.srs, study.perfusion.sds) == ("rest", 2, 6)
