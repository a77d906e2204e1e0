"""DICOM in: SR measurements and NM/PT headers -> Study fields, checked field by field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reporter.domain.study import Study
from reporter.errors import InputFormatError, NotFoundError, StudyValidationError
from reporter.interop.dicom_in import ingest

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "raw" / "dicom_samples"
REST, STRESS = ("SCT", "128975004", "Resting State"), ("SCT", "432655005", "Cardiac Stress State")
LVEF = ("LN", "10230-1", "Left ventricular Ejection fraction")
EDV = ("LN", "8821-1", "Left Ventricular ED Volume")
MBF = ("99NCREPORT", "MBF", "Myocardial blood flow")
MFR = ("DCM", "122217", "Coronary Flow reserve")
AGATSTON = ("DCM", "112058", "Calcium score")
LAD, LCX, RCA, LM = (
    ("SCT", "59438005", "LAD"),
    ("SCT", "57396003", "LCx"),
    ("SCT", "13647002", "RCA"),
    ("SCT", "3227004", "LM"),
)
IDENTIFIERS = ("Doe", "Jane", "MRN-4711-0815", "1959", "ACC-20260502-77")


def test_spect_sr_and_nm_headers_become_one_study(measurement_sr, spect_groups, nm_image):
    files = [
        measurement_sr(spect_groups),
        nm_image("rest", mbq="370", start="20260502081500"),
        nm_image("stress", mbq="1110", start="20260502101500"),
    ]
    result = ingest(files)
    study = result.study_dict
    assert study["study_date"] == "2026-05-02"
    assert study["accession"] == "ACC-20260502-77"
    assert study["patient"] == {
        "age_years": 67,
        "sex": "female",
        "name": "Doe^Jane^Q",
        "mrn": "MRN-4711-0815",
        "birth_date": "1959-03-17",
    }
    assert study["procedure"] == {
        "modality": "SPECT",
        "tracers": [
            {"tracer": "Tc-99m tetrofosmin", "phase": "rest", "activity": {"value": 370.0, "unit": "MBq"}},
            {"tracer": "Tc-99m tetrofosmin", "phase": "stress", "activity": {"value": 1110.0, "unit": "MBq"}},
        ],
        "protocol": "rest-stress",
    }
    perfusion = study["perfusion"]
    assert (
        perfusion["summed_stress_score"],
        perfusion["summed_rest_score"],
        perfusion["summed_difference_score"],
        perfusion["stress_tpd_percent"],
    ) == (6, 0, 6, 9.0)
    assert len(perfusion["segments"]) == 17
    assert perfusion["segments"][0] == {"segment": 1, "stress": 2, "rest": 0}
    assert perfusion["segments"][6] == {"segment": 7, "stress": 2, "rest": 0}
    assert perfusion["segments"][1] == {"segment": 2, "stress": 0, "rest": 0}
    assert study["function"] == {
        "stress_lvef_percent": 55.0,
        "rest_lvef_percent": 58.0,
        "stress_edv_ml": 110.0,
        "stress_esv_ml": 50.0,
        "tid_ratio": 1.12,
    }
    assert "flow" not in study and "calcium" not in study
    assert [s.file for s in result.sources] == ["results_sr.dcm", "nm_rest.dcm", "nm_stress.dcm"]
    assert {s.study_instance_uid for s in result.sources} == {"1.2.826.0.1.3680043.10.511.3.1001"}


def test_unknown_codes_are_reported_not_dropped(measurement_sr, spect_groups):
    result = ingest([measurement_sr(spect_groups)])
    assert "results_sr.dcm: measurement code not mapped to a Study field: Stroke Volume (90096001, SCT)" in (
        result.warnings
    )
    assert result.warnings[-1] == "not in the DICOM files, to add before drafting: clinical, procedure, stress"


def test_ingested_study_plus_clinical_data_is_a_valid_study(measurement_sr, spect_groups, nm_image):
    study = ingest(
        [
            measurement_sr(spect_groups),
            nm_image("rest", mbq="370", start="20260502081500"),
            nm_image("stress", start="20260502101500"),
        ]
    ).study_dict
    study["clinical"] = {"indication": "Chest pain."}
    study["stress"] = {"type": "pharmacologic", "agent": "regadenoson"}
    validated = Study.model_validate(study)
    assert validated.perfusion.sds == 6
    assert validated.procedure.tracers[1].activity is not None and validated.procedure.tracers[1].activity.mbq == 1110


def test_pet_flow_per_territory_and_dose_in_becquerel(measurement_sr, pet_image):
    flow = [
        (MBF, 0.9, "ml/min/g", REST, None),
        (MBF, 1.6, "ml/min/g", STRESS, None),
        (MFR, 1.78, "{ratio}", None, None),
    ]
    for site, rest, stress in ((LAD, 0.8, 1.2), (LCX, 1.0, 2.1), (RCA, 0.9, 1.9)):
        flow += [(MBF, rest, "ml/min/g", REST, site), (MBF, stress, "ml/min/g", STRESS, site)]
    study = ingest(
        [
            measurement_sr({"Flow": flow}),
            pet_image("rest", start="20260502101500"),
            pet_image("stress", bq="1295000000", start="20260502103000"),
        ]
    ).study_dict
    assert study["flow"] == {
        "rest_mbf_ml_min_g": 0.9,
        "stress_mbf_ml_min_g": 1.6,
        "mfr": 1.78,
        "territories": [
            {"territory": "LAD", "rest_mbf_ml_min_g": 0.8, "stress_mbf_ml_min_g": 1.2},
            {"territory": "LCx", "rest_mbf_ml_min_g": 1.0, "stress_mbf_ml_min_g": 2.1},
            {"territory": "RCA", "rest_mbf_ml_min_g": 0.9, "stress_mbf_ml_min_g": 1.9},
        ],
    }
    assert study["procedure"] == {
        "modality": "PET",
        "tracers": [
            {"tracer": "Rb-82", "phase": "rest", "activity": {"value": 1110.0, "unit": "MBq"}},
            {"tracer": "Rb-82", "phase": "stress", "activity": {"value": 1295.0, "unit": "MBq"}},
        ],
        "protocol": "rest-stress",
    }


def test_a_finding_site_of_the_measurement_group_applies_to_its_measurements(measurement_sr):
    """TID 1500 puts the finding site on the group; per-territory flow then comes one group per vessel."""
    groups = {
        "LAD flow": [(MBF, 0.8, "ml/min/g", REST, None), (MBF, 1.2, "ml/min/g", STRESS, None)],
        "LCx flow": [
            (MBF, 1.0, "ml/min/g", REST, None),
            (MBF, 2.1, "ml/min/g", STRESS, None),
            (MFR, 2.1, "{ratio}", None, None),
        ],
    }
    study = ingest([measurement_sr(groups, group_sites={"LAD flow": LAD, "LCx flow": LCX})]).study_dict
    assert study["flow"] == {
        "territories": [
            {"territory": "LAD", "rest_mbf_ml_min_g": 0.8, "stress_mbf_ml_min_g": 1.2},
            {"territory": "LCx", "rest_mbf_ml_min_g": 1.0, "stress_mbf_ml_min_g": 2.1, "mfr": 2.1},
        ]
    }


def test_calcium_total_and_per_vessel(measurement_sr):
    nums = [
        (AGATSTON, 450, "1", None, None),
        (AGATSTON, 20, "1", None, LM),
        (AGATSTON, 300, "1", None, LAD),
        (AGATSTON, 80, "1", None, LCX),
        (AGATSTON, 50, "1", None, RCA),
    ]
    study = ingest([measurement_sr({"Calcium": nums})]).study_dict
    assert study["calcium"] == {
        "agatston_total": 450.0,
        "agatston_by_vessel": {"LM": 20.0, "LAD": 300.0, "LCx": 80.0, "RCA": 50.0},
    }


@pytest.mark.parametrize(
    ("num", "field", "expected"),
    [
        ((LVEF, 0.55, "1", STRESS, None), "stress_lvef_percent", 55.0),
        ((EDV, 0.11, "l", REST, None), "rest_edv_ml", 110.0),
        ((EDV, 95, "cm3", REST, None), "rest_edv_ml", 95.0),
    ],
)
def test_units_are_converted_to_the_study_unit(measurement_sr, num, field, expected):
    assert ingest([measurement_sr({"Function": [num]})]).study_dict["function"] == {field: expected}


def test_mbf_per_100_g_is_converted(measurement_sr):
    study = ingest(
        [measurement_sr({"Flow": [(MBF, 250, "ml/min/100g", STRESS, None), (MFR, 2.5, "{ratio}", None, None)]})]
    ).study_dict
    assert study["flow"] == {"stress_mbf_ml_min_g": 2.5, "mfr": 2.5}


def test_a_unit_that_does_not_convert_is_reported_and_not_used(measurement_sr):
    result = ingest([measurement_sr({"Function": [(LVEF, 55, "ml", STRESS, None)]})])
    assert "function" not in result.study_dict
    assert result.warnings[0] == (
        "results_sr.dcm: Left ventricular Ejection fraction (10230-1, LN) is in unit 'ml', "
        "which does not convert to '%'; function.stress_lvef_percent not used"
    )


def test_a_known_code_without_its_state_is_reported(measurement_sr):
    result = ingest([measurement_sr({"Function": [(LVEF, 55, "%", None, None)]})])
    assert result.warnings[0] == (
        "results_sr.dcm: Left ventricular Ejection fraction (10230-1, LN) with "
        "no state or site matches no Study field; not used"
    )


def test_conflicting_values_name_the_field_and_both_files(measurement_sr):
    first = measurement_sr({"Function": [(LVEF, 55, "%", STRESS, None)]}, name="a.dcm")
    second = measurement_sr({"Function": [(LVEF, 49, "%", STRESS, None)]}, name="b.dcm")
    with pytest.raises(InputFormatError, match=r"function.stress_lvef_percent differs between a.dcm and b.dcm"):
        ingest([first, second])


def test_files_of_two_patients_are_refused_without_echoing_identifiers(measurement_sr, nm_image):
    sr = measurement_sr({"Function": [(LVEF, 55, "%", STRESS, None)]})
    other = nm_image("rest", PatientID="MRN-9999-0001")
    with pytest.raises(InputFormatError) as caught:
        ingest([sr, other])
    assert caught.value.code == "E102"
    assert str(caught.value) == (
        "[E102] patient.mrn differs between results_sr.dcm and nm_rest.dcm: the files are not of one patient and study"
    )


def test_inconsistent_scores_fail_study_validation_naming_the_block(measurement_sr):
    scores = [
        (("99NCREPORT", "SSS", "Summed stress score"), 6, "{score}", None, None),
        (("99NCREPORT", "SRS", "Summed rest score"), 2, "{score}", None, None),
        (("99NCREPORT", "SDS", "Summed difference score"), 6, "{score}", None, None),
    ]
    with pytest.raises(StudyValidationError) as caught:
        ingest([measurement_sr({"Perfusion": scores})])
    assert caught.value.code == "E101"
    assert [p.field for p in caught.value.problems] == ["perfusion"]
    assert "SDS 6 must equal SSS - SRS" in caught.value.problems[0].message


def test_a_dose_whose_phase_is_not_stated_is_reported(nm_image):
    path = nm_image("rest", SeriesDescription="GATED SPECT")
    result = ingest([path])
    assert "procedure" in result.study_dict and "tracers" not in result.study_dict["procedure"]
    assert (
        "nm_rest.dcm: rest or stress is not stated in the series description; the Tc-99m tetrofosmin dose is not used"
    ) in result.warnings


def test_dual_isotope_and_two_day_protocols_are_recognised(nm_image):
    thallium = ("SCT", "73685002", "Thallous chloride Tl^201^")  # CID 25 code, read as Tl-201
    dual = ingest([nm_image("rest", tracer=thallium, mbq="130"), nm_image("stress")]).study_dict
    assert dual["procedure"]["protocol"] == "dual-isotope"
    assert dual["procedure"]["tracers"][0]["tracer"] == "Tl-201"
    two_day = ingest([nm_image("rest", start="20260501090000"), nm_image("stress", start="20260502090000")])
    assert two_day.study_dict["procedure"]["protocol"] == "two-day"


def test_one_thallium_injection_in_stress_and_redistribution_series_is_stress_redistribution(nm_image):
    thallium = ("SCT", "73685002", "Thallous chloride Tl^201^")
    series = [
        nm_image(phase, tracer=thallium, mbq="130", start="20260502093000") for phase in ("stress", "redistribution")
    ]
    procedure = ingest(series).study_dict["procedure"]
    assert (procedure["protocol"], procedure["tracers"]) == (
        "stress-redistribution",
        [{"tracer": "Tl-201", "phase": "stress", "activity": {"value": 130.0, "unit": "MBq"}}],
    )
    # a second injection (a later start) stays a rest dose: a reinjection entered as stress-rest
    reinjection = [
        nm_image("stress", tracer=thallium, mbq="130", start="20260502093000"),
        nm_image("rest", tracer=thallium, mbq="37", start="20260502133000"),
    ]
    assert ingest(reinjection).study_dict["procedure"]["protocol"] == "stress-rest"


def test_the_rest_scores_of_a_stress_redistribution_sr_are_its_redistribution_scores(
    measurement_sr, spect_groups, nm_image
):
    thallium = ("SCT", "73685002", "Thallous chloride Tl^201^")
    result = ingest(
        [
            measurement_sr(spect_groups),
            *(
                nm_image(phase, tracer=thallium, mbq="130", start="20260502093000")
                for phase in ("stress", "redistribution")
            ),
        ]
    )
    segments = result.study_dict["perfusion"]["segments"]
    assert [sorted(s) for s in segments[:1]] == [["redistribution", "segment", "stress"]]
    assert [s["redistribution"] for s in segments] == [0] * 17
    assert "a stress-redistribution study: its rest segment scores are read as redistribution scores" in result.warnings


# --- malformed input ---------------------------------------------------------------------------------


def test_the_malformed_jpeg_sample_names_the_file():
    with pytest.raises(InputFormatError) as caught:
        ingest([SAMPLES / "pydicom" / "JPEG-lossy.dcm"])
    assert caught.value.code == "E102"
    assert str(caught.value).startswith("[E102] JPEG-lossy.dcm: the pixel data cannot be decoded")


@pytest.mark.parametrize("fraction", [0.3, 0.6, 0.95])
def test_a_truncated_image_names_the_file(nm_image, tmp_path, fraction):
    data = nm_image("stress").read_bytes()
    cut = tmp_path / "cut.dcm"
    cut.write_bytes(data[: int(len(data) * fraction)])
    with pytest.raises(InputFormatError, match=r"^\[E102\] cut.dcm"):
        ingest([cut])


@pytest.mark.parametrize("fraction", [0.3, 0.6, 0.8, 0.95])
def test_a_truncated_sr_names_the_file(measurement_sr, spect_groups, tmp_path, fraction):
    data = measurement_sr(spect_groups).read_bytes()
    cut = tmp_path / "cut_sr.dcm"
    cut.write_bytes(data[: int(len(data) * fraction)])
    with pytest.raises(InputFormatError, match=r"^\[E102\] cut_sr.dcm"):
        ingest([cut])


@pytest.mark.parametrize("content", [b"", b"not a dicom file at all\n", b"\x00" * 128 + b"DICM" + b"\xff" * 7])
def test_a_file_that_is_not_dicom_names_the_file(tmp_path, content):
    path = tmp_path / "notes.dcm"
    path.write_bytes(content)
    with pytest.raises(InputFormatError, match=r"^\[E102\] notes.dcm"):
        ingest([path])


def test_the_same_instance_given_twice_is_read_once(measurement_sr, tmp_path):
    sr = measurement_sr({"Function": [(LVEF, 55, "%", STRESS, None)]})
    copy = tmp_path / "copy.dcm"
    copy.write_bytes(sr.read_bytes())
    result = ingest([sr, copy])
    assert [s.file for s in result.sources] == ["results_sr.dcm"]
    assert "copy.dcm is the same instance as results_sr.dcm (same SOP Instance UID); read once" in result.warnings


def test_a_missing_file_is_not_found(tmp_path):
    with pytest.raises(NotFoundError):
        ingest([tmp_path / "nowhere.dcm"])


def test_no_identifier_is_ever_in_a_warning(measurement_sr, spect_groups, nm_image):
    result = ingest([measurement_sr(spect_groups), nm_image("rest", SeriesDescription="GATED")])
    text = json.dumps(result.warnings)
    assert not any(identifier in text for identifier in IDENTIFIERS)


# --- the public samples ------------------------------------------------------------------------------

READABLE = sorted(p.relative_to(SAMPLES).as_posix() for p in SAMPLES.rglob("*.dcm") if p.name != "JPEG-lossy.dcm")


def test_the_public_sample_set_is_there():
    assert len(READABLE) == 13


@pytest.mark.parametrize("sample", READABLE)
def test_public_samples_read_without_error_and_say_they_hold_no_cardiac_values(sample):
    result = ingest([SAMPLES / sample])
    name = Path(sample).name
    assert any(w.startswith(f"{name}: no cardiac values (") for w in result.warnings)
    assert not {"perfusion", "function", "flow", "calcium"} & set(result.study_dict)
    assert "procedure" not in result.study_dict  # none is an NM/PET image object: a bone scan SC tells no MPI


def test_the_pet_tid1500_sample_lists_its_unmapped_codes():
    result = ingest([SAMPLES / "dcmqi" / "sr.dcm"])
    assert "sr.dcm: measurement code not mapped to a Study field: SUVbw (126401, DCM) x10" in result.warnings
