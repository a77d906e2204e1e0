"""Validation on a site's own data: agreement, disagreements with spans, thresholds, flags, structuring, LLM."""

from __future__ import annotations

from typing import Any

import pytest

from reporter.domain.thresholds import Thresholds
from reporter.errors import ConfigError
from reporter.llm.fake import ECHO, scripted_backend
from reporter.llm.settings import GenerationSettings
from reporter.service.validation import (
    Compared,
    PairInput,
    SiteConfig,
    element_agreement,
    find_impression,
    match_pairs,
    qualify_backend,
    record,
    structuring_accuracy,
    validate_pairs,
    validation_html,
)


def _rows(rules: str, physician: str, element: str = "ischemia") -> list[Compared]:
    """One row per character: P present, A absent, - not stated."""
    side = {"P": "present", "A": "absent", "-": None}
    return [
        Compared(f"p{i}", element, "", side[r], side[p]) for i, (r, p) in enumerate(zip(rules, physician, strict=True))
    ]


def test_kappa_on_a_constructed_set_matches_the_hand_computation() -> None:
    # 10 compared: 8 agree (po = 0.8); rules 4 P / 6 A, physicians 4 P / 6 A: pe = 0.4*0.4 + 0.6*0.6 = 0.52
    # kappa = (0.8 - 0.52) / (1 - 0.52) = 0.5833; plus 2 reports silent and 1 element the rules cannot give
    a = element_agreement("ischemia", _rows("PPPPAAAAAAPA-", "PPPAAAAAAP--P"))
    assert (a.compared, a.agree, a.percent, a.kappa) == (10, 8, 80.0, 0.583)
    assert (a.not_stated, a.rules_silent, a.labels) == (2, 1, ("absent", "present"))


def test_kappa_is_undefined_with_one_category() -> None:
    a = element_agreement("ischemia", _rows("AAA", "AAA"))
    assert (a.compared, a.agree, a.percent, a.kappa) == (3, 3, 100.0, None)


def test_nothing_compared_gives_no_percent() -> None:
    a = element_agreement("flow", _rows("PP", "--", "flow"))
    assert (a.compared, a.percent, a.kappa, a.not_stated) == (0, None, None, 2)


def test_pairs_are_matched_by_stem_and_the_rest_listed() -> None:
    assert match_pairs(["a", "b", "c"], ["b", "c", "d"]) == (["b", "c"], ["a"], ["d"])


def _agreement(v: dict[str, Any], element: str) -> tuple[Any, ...]:
    a = next(a for a in v["agreement"] if a["element"] == element)
    return a["compared"], a["agree"], a["percent"], a["kappa"], a["not_stated"]


@pytest.mark.parametrize(
    ("element", "expected"),
    [
        ("perfusion", (10, 8, 80.0, 0.636, 0)),
        ("ischemia", (10, 8, 80.0, 0.524, 0)),
        # two reports call defects "partially reversible" whose rest scores are 1: below the rules' defect
        # threshold (rest score >= 2, ASNC 2018), so the rules see no scar. A convention difference the
        # report is there to show (and their reversibility disagrees too).
        ("scar", (9, 7, 77.8, 0.526, 1)),
        ("lvef_grade", (10, 9, 90.0, 0.815, 0)),
        ("defect.LCx", (10, 10, 100.0, 1.0, 0)),
        ("defect.extent", (3, 1, 33.3, 0.0, 4)),
        ("risk", (0, 0, None, None, 10)),
    ],
)
def test_agreement_on_the_mtsamples_pairs(validation: dict[str, Any], element: str, expected: tuple[Any, ...]) -> None:
    assert _agreement(validation, element) == expected


def test_every_pair_is_compared(validation: dict[str, Any]) -> None:
    assert (validation["pairs"], validation["compared_pairs"], validation["errors"]) == (10, 10, [])


def _disagreements(v: dict[str, Any], pair: str) -> list[tuple[str, str, str]]:
    return [(d["element"], d["rules"], d["physician"]) for d in v["disagreements"] if d["pair"] == pair]


def test_a_study_whose_lvef_contradicts_its_report_is_listed_with_the_span(
    validation: dict[str, Any], pairs: list[PairInput]
) -> None:
    d = next(d for d in validation["disagreements"] if d["pair"] == "contra_lvef_mts_1605")
    assert (d["element"], d["rules"], d["physician"], d["excerpt"]) == ("lvef_grade", "mildly reduced", "normal", "58%")
    text = next(p.text for p in pairs if p.name == "contra_lvef_mts_1605")
    assert text is not None and text[d["span"][0] : d["span"][1]] == "58%"
    assert d["basis"] == "rules: LVEF 45%; report: graded from the stated LVEF 58%"


def test_a_study_with_ischemia_under_a_normal_report_is_found(validation: dict[str, Any]) -> None:
    assert _disagreements(validation, "contra_ischemia_mts_49") == [
        ("perfusion", "abnormal", "normal"),
        ("defect.LAD", "present", "absent"),
        ("ischemia", "present", "absent"),
    ]


def test_the_matching_pairs_of_the_same_reports_agree(validation: dict[str, Any]) -> None:
    assert _disagreements(validation, "mts_1605_adenosine") == []
    assert _disagreements(validation, "mts_49_adenosine_myoview") == []


def test_a_convention_difference_on_real_text_is_found(validation: dict[str, Any]) -> None:
    # "mildly decreased uptake in the septum" scored 1: equivocal for the rules, ischemia for the physician
    assert _disagreements(validation, "mts_1187_persantine") == [
        ("perfusion", "probably normal", "abnormal"),
        ("defect.LAD", "absent", "present"),
        ("ischemia", "absent", "present"),
    ]


def test_threshold_advice_names_the_thresholds_to_override(validation: dict[str, Any]) -> None:
    advice = {a["element"]: a for a in validation["threshold_advice"]}
    assert advice["lvef_grade"]["thresholds"] == [
        "lvef_lower_normal_male",
        "lvef_lower_normal_female",
        "lvef_moderate_below",
        "lvef_severe_below",
    ]
    assert advice["lvef_grade"]["current"]["lvef_lower_normal_male"] == 52.0
    assert advice["defect.extent"]["thresholds"] == ["extent_medium_min_segments", "extent_large_min_segments"]


def test_an_lvef_grade_near_the_limit_is_named_and_a_site_threshold_settles_it(borderline_pair: PairInput) -> None:
    v = validate_pairs([borderline_pair])
    advice = next(a for a in v["threshold_advice"] if a["element"] == "lvef_grade")
    assert advice["near_threshold"] == [
        {
            "pair": "borderline_lvef",
            "measured_lvef": 50.0,
            "threshold": "lvef_lower_normal_male",
            "value": 52.0,
            "rules": "mildly reduced",
            "physician": "normal",
            "agrees_if": "lvef_lower_normal_male <= 50",
        }
    ]
    page = validation_html(
        {
            **v,
            "unmatched": {"studies_without_report": [], "reports_without_study": []},
            "structuring": None,
            "llm": [],
            "record": record([borderline_pair], Thresholds(), "x", SiteConfig()),
        }
    )
    assert "measured 50.0% vs lvef_lower_normal_male = 52.0" in page
    assert "agrees if lvef_lower_normal_male &lt;= 50" in page
    site = Thresholds.model_validate({"lvef_lower_normal_male": 50.0})
    assert _disagreements(validate_pairs([borderline_pair], site), "borderline_lvef") == [
        (e, r, p) for e, r, p in _disagreements(v, "borderline_lvef") if e != "lvef_grade"
    ]


def test_flags_per_code_per_100_reports(validation: dict[str, Any]) -> None:
    by_code = {c["code"]: c for c in validation["flags"]["by_code"]}
    assert (by_code["G101"]["count"], by_code["G101"]["per_100_reports"]) == (2, 20.0)
    example = by_code["G101"]["examples"][0]
    assert (example["pair"], example["excerpt"]) == ("contra_lvef_mts_1605", "58%")
    # no signed report states a risk category: G507, or G503 alone where the rules' risk is high (one omission, one
    # flag)
    assert (by_code["G507"]["per_100_reports"], by_code["G503"]["per_100_reports"]) == (70.0, 30.0)
    assert validation["flags"]["reports_checked"] == 10


def test_a_site_configuration_turns_a_code_into_a_warning_and_is_recorded(pairs: list[PairInput]) -> None:
    config = SiteConfig.from_json({"flag_severity": {"G101": "warning"}})
    v = validate_pairs(pairs, config=config)
    g101 = next(c for c in v["flags"]["by_code"] if c["code"] == "G101")
    assert (g101["severity"], g101["default_severity"]) == ("warning", "error")
    assert v["flags"]["site_flag_severity"] == {"G101": "warning"}


@pytest.mark.parametrize(
    "data", [{"flag_severity": {"G999": "warning"}}, {"flag_severity": {"G101": "loud"}}, {"flags": {}}]
)
def test_a_bad_site_configuration_names_the_field(data: dict[str, Any]) -> None:
    with pytest.raises(ConfigError) as err:
        SiteConfig.from_json(data)
    assert err.value.code == "E104"
    assert len(err.value.problems) == 1


def test_the_impression_starts_at_the_last_heading() -> None:
    text = "SUMMARY: stress.\nIMPRESSION: first.\nCONCLUSIONS:\n1. Normal perfusion.\n"
    start, end = find_impression(text) or (0, 0)
    assert text[start:end] == "\n1. Normal perfusion.\n"
    assert find_impression("Normal perfusion, no heading.") is None


def test_a_pair_that_could_not_be_read_keeps_its_error_and_the_run_goes_on(pairs: list[PairInput]) -> None:
    v = validate_pairs([PairInput(name="broken", error="[E101] bad study"), pairs[0]])
    assert v["errors"] == [{"pair": "broken", "error": "[E101] bad study"}]
    assert (v["pairs"], v["compared_pairs"]) == (2, 1)


def test_structuring_accuracy_per_field_finds_a_wrong_label(labelled: list[tuple[str, str, dict[str, Any]]]) -> None:
    name, text, gold = labelled[0]
    lvef_label = {**gold["function"]["lvef_percent"], "value": 99}
    wrong = {**gold, "function": {**gold["function"], "lvef_percent": lvef_label}}
    result = structuring_accuracy([(name, text, wrong), labelled[1]])
    lvef = next(f for f in result["fields"] if f["field"] == "function.lvef_percent")
    assert (lvef["gold"], lvef["predicted"], lvef["correct"], lvef["accuracy"]) == (2, 2, 1, 0.5)
    assert structuring_accuracy(labelled)["overall_accuracy"] == 1.0


def _studies(pairs: list[PairInput]) -> list[tuple[str, Any]]:
    return [(p.name, p.study) for p in pairs[:3]]


def test_a_backend_that_echoes_verified_sentences_is_qualified(pairs: list[PairInput]) -> None:
    q = qualify_backend(_studies(pairs), scripted_backend(ECHO), GenerationSettings())
    assert (q["backend"], q["studies"], q["passed_first_time"], q["replaced"], q["qualified"]) == (
        "fake.v1",
        3,
        1.0,
        0.0,
        True,
    )
    assert q["latency_p50_s"] is not None and q["latency_p95_s"] >= q["latency_p50_s"]


def test_a_backend_that_replaces_more_than_the_site_share_is_not_qualified(pairs: list[PairInput]) -> None:
    q = qualify_backend(_studies(pairs), scripted_backend("The LVEF is 10%."), GenerationSettings(), max_replaced=0.2)
    assert (q["replaced"], q["qualified"]) == (1.0, False)
    assert q["not_qualified_because"] == ["100% of sentences replaced (site limit 20%)"]
    assert "G101" in q["failure_types"]


def test_a_backend_that_is_down_is_not_qualified(pairs: list[PairInput]) -> None:
    from reporter.llm.fake import DOWN

    q = qualify_backend(_studies(pairs), scripted_backend(DOWN), GenerationSettings())
    assert q["qualified"] is False
    assert q["failure_types"] == {"N103 backend failed (E301)": 3}
    assert q["not_qualified_because"] == [
        "the backend failed on 3 of 3 studies",
        "no sentence was phrased by the model",
    ]


def test_the_record_holds_hashes_versions_thresholds_and_operator(pairs: list[PairInput]) -> None:
    import datetime as dt

    pair = PairInput(name="a", study=pairs[0].study, text="x", study_sha256="s" * 64, report_sha256="r" * 64)
    r = record(
        [pair],
        Thresholds(),
        "Dr. Lead",
        SiteConfig(),
        [{"backend": "fake.v1", "model": "scripted", "weights_sha256": None}],
        now=dt.datetime(2026, 12, 6, 5, 0, tzinfo=dt.UTC),
    )
    assert (r["date"], r["operator"]) == ("2026-12-06T05:00:00+00:00", "Dr. Lead")
    assert r["inputs"] == [{"pair": "a", "study_sha256": "s" * 64, "report_sha256": "r" * 64}]
    assert r["thresholds"]["lvef_lower_normal_male"] == 52.0
    assert r["models"] == [
        {
            "backend": "fake.v1",
            "model": "scripted",
            "weights_sha256": None,
            "url": None,
            "qualified": None,
            "replaced": None,
            "max_replaced": None,
            "studies": None,
            "sentences": None,
            "not_qualified_because": None,
        }
    ]
    assert len(r["inputs_sha256"]) == 64


def test_a_bug_on_one_pair_is_listed_and_the_others_are_compared(
    pairs: list[PairInput], monkeypatch: pytest.MonkeyPatch
) -> None:
    import reporter.service.validation as validation

    real = validation.physician_readings

    def broken(text: str, *args: Any) -> Any:
        if "Persantine" in text:
            raise RuntimeError("boom")
        return real(text, *args)

    monkeypatch.setattr(validation, "physician_readings", broken)
    v = validate_pairs(pairs)
    assert v["errors"] == [{"pair": "mts_1187_persantine", "error": "[E900] could not be compared (RuntimeError)"}]
    assert v["compared_pairs"] == 9
