"""Physician-written impressions of the blind set dev5 (issue 15): each cause of a former false error, checked
on sentences written here in other words and on other studies than the set's, beside a wrong sentence the
same mechanism must still flag.

The expected value is the sorted list of error-severity codes (an empty list: no error flag).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flag_codes import errors

from guardrails import verify
from reporter.domain.study import Study

# regadenoson Rb-82 PET: LCx ischemia (SDS 6), LCx MFR 1.29, nonischemic ECG, intermediate risk
LCX_PET = "dev5_pet_rb82_lcx_flow_reduction"
# LBBB, fixed mild septal score-1 segments (equivocal), LVEF 51% post-stress (mildly reduced for a man by
# ASE-EACVI-2015), rules' risk intermediate on both
LBBB = "dev5_spect_lbbb_regadenoson_septal_fixed"
# anteroapical SSS 4 / SDS 2 (minimal ischemia), breast attenuation flagged: rules' risk intermediate
ATTEN = "dev5_spect_regadenoson_apical_atten_vs_ischemia"
# large LAD scar (SRS 18 now and before) with more peri-infarct ischemia; prior EDV 170 mL, LVEF 38%
LAD_PRIOR = "dev5_spect_adenosine_lad_scar_periinfarct_prior"
# other sets' studies
EQUIVOCAL_FOLLOWUP = "spect_followup_improved_lad"  # equivocal perfusion, rules' risk intermediate
SMALL_LAD = "test_spect_exercise_small_apical_lad_ischemia"  # reversible apical defect, intermediate risk
NEW_RCA = "dev4_spect_followup_prior_report_lad_resolved_new_rca"  # new RCA ischemia: intermediate risk
LCX = "pet_n13_lcx_ischemia"
RCA_DOBUTAMINE = "spect_dobutamine_rca_ischemia"  # ischemic ECG response
LAD_PET = "dev_pet_rb82_lad_ischemia_flow"
MULTIVESSEL = "dev_spect_dobutamine_lad_rca_multivessel"  # LVEF 52%, mildly reduced
LBBB_NORMAL = "spect_lbbb_normal_perfusion"  # normal perfusion, LVEF 44%
EQUIVOCAL_INFERIOR = "spect_equivocal_inferior_score1"
LAD_SCAR = "test_spect_lad_scar_peri_infarct_low_ef"
POST_CABG = "test_spect_post_cabg_worse_lcx_lad_ischemia_tid"  # scar unchanged, new LAD and LCx ischemia
WORSE_RCA = "dev_spect_followup_worse_rca_exercise"  # ischemia increased, no scar
INFERIOR_ATTEN = "dev4_spect_normal_submaximal_beta_blocker_atten"  # attenuation recorded in the inferior wall
# exercise, normal perfusion, 2 mm ST depression in II, III, aVF, V5, V6; Duke -1; normal wall motion
FP_ECG = "dev5_spect_exercise_woman_fp_ecg_normal"


CASES = [
    # "ischemic changes" and a clause headed by the ECG speak of the ECG, not of the myocardium
    # (the study's agent was adenosine: a wrong agent after the negated finding is checked, G603)
    (LCX, "ECG: no ischaemic ST changes during regadenoson.", ["G603"]),
    (LCX, "ECG: no ischaemic ST changes during adenosine.", []),
    (LCX_PET, "Stress ECG - no ischemic response.", []),
    (SMALL_LAD, "There were no ischemic changes on the exercise tracing.", []),
    (RCA_DOBUTAMINE, "Stress ECG - no ischemic response.", ["G607"]),
    (LCX, "No ischemia.", ["G601"]),
    # the extraction rules' negation cues deny a stress symptom as well ("w/o")
    (RCA_DOBUTAMINE, "Dobutamine infusion w/o chest pain.", []),
    (NEW_RCA, "Stress completed w/o CP.", []),
    # "low risk" where the rules' intermediate risk rests only on readings (equivocal perfusion, minimal
    # ischemia a reader may call attenuation, a borderline LVEF) is a warning; "high risk" stays an error,
    # and so does "low risk" where the intermediate risk rests on definite ischemia
    (EQUIVOCAL_FOLLOWUP, "Low risk.", []),
    (ATTEN, "Probably attenuation; overall a low-risk study.", []),
    (LBBB, "Septal reduction typical of LBBB. Low risk.", []),
    (EQUIVOCAL_FOLLOWUP, "High risk.", ["G801"]),
    (LBBB, "High-risk study.", ["G801"]),
    (SMALL_LAD, "Low risk.", ["G801"]),
    (NEW_RCA, "Low risk.", ["G801"]),
    # a vessel argued against, or set in a differential, is not named as diseased
    (LBBB_NORMAL, "Normal anterior wall and apex, which argues against LAD disease.", []),
    (EQUIVOCAL_INFERIOR, "Mild inferior reduction, attenuation versus RCA disease.", []),
    (LBBB_NORMAL, "Findings suggest LAD disease.", ["G201"]),
    # a verdict scoped to the rest of the myocardium, beside a defect the text names
    (EQUIVOCAL_INFERIOR, "Mild inferior wall reduction; perfusion otherwise normal.", []),
    (EQUIVOCAL_FOLLOWUP, "Small mild anterior defect. Elsewhere normal perfusion.", []),
    (EQUIVOCAL_FOLLOWUP, "Normal perfusion.", ["G602"]),
    # a grade word of another measure in the defect's clause does not grade the defect
    (LAD_PET, "Reversible anterior defect with severely reduced regional flow reserve in the LAD territory.", []),
    (MULTIVESSEL, "Reversible inferior defect with mildly impaired LV function.", []),
    (LCX, "Reversible lateral defect associated with mildly impaired LV function.", ["G602"]),
    # "mostly / largely / nearly" reversible: a hedge between the word and partial reversal
    (SMALL_LAD, "Small apical defect which is predominantly reversible.", []),
    (SMALL_LAD, "Small apical defect that largely fills in at rest.", []),
    (SMALL_LAD, "Small apical defect that is fixed.", ["G303"]),
    # the infarct of a partially reversible defect is its fixed part, where the sentence names the ischemia too
    (LAD_SCAR, "Fixed LAD infarct with mild peri-infarct ischemia.", []),
    (LAD_SCAR, "Large anterior infarction, fixed, plus a small amount of ischaemia at its margins.", []),
    (LAD_SCAR, "Fixed LAD infarct.", ["G303"]),
    # a negation ends where a comma-spliced clause with its own subject and verb begins
    (
        RCA_DOBUTAMINE,
        "No chest pain was reported, the images show a reversible inferior defect in the RCA territory.",
        [],
    ),
    (LCX, "there were no ECG changes, the scan shows a reversible lateral defect.", []),
    (LCX, "there were no ECG changes and no reversible defect.", ["G601"]),
    # the infarct's own change since the prior (its rest score), not the ischemia around it
    (POST_CABG, "Since the prior study the inferior infarct is stable, with new ischemia elsewhere.", []),
    (LAD_PRIOR, "Compared with May 2024 the anterior scar is the same size; more ischaemia at its edges.", []),
    (LAD_PRIOR, "Compared with May 2024 the anterior scar is larger.", ["G702"]),
    (WORSE_RCA, "Compared with the prior study the ischemia is unchanged.", ["G702"]),
    # a change word of the symptoms is the history, not the comparison
    (WORSE_RCA, "Worsening exertional chest pain; compared with the prior study the ischemia has increased.", []),
    (LAD_PRIOR, "Progressive dyspnoea since the infarct; the scar is unchanged from 2024.", []),
    (POST_CABG, "New symptoms since CABG; compared with the prior study ischemia is unchanged.", ["G702"]),
    # a value after the category said before it, and the first value's phase before an elided prior one
    (LBBB_NORMAL, "LVEF below the lower limit of normal at 44%.", []),
    (LBBB_NORMAL, "LVEF at the lower limit of normal at 54%.", ["G101"]),
    (LAD_PRIOR, "The LV has dilated: EDV 182 mL at rest, previously 170 mL.", []),
    (LAD_PRIOR, "The LV has dilated: EDV 182 mL at rest, previously 150 mL.", ["G102"]),
    (LAD_PRIOR, "Ejection fraction has fallen from 38% to 34%.", []),
    (LAD_PRIOR, "Ejection fraction has fallen from 38% to 44%.", ["G101"]),
    # an artifact sentence followed by one that opens with "Image": no phrase reaches across the full stop
    (
        INFERIOR_ATTEN,
        "Mild fixed inferior reduction in keeping with diaphragmatic attenuation. Image quality fair.",
        [],
    ),
    (
        INFERIOR_ATTEN,
        "Mild fixed anterior reduction in keeping with diaphragmatic attenuation. Image quality fair.",
        ["G202"],
    ),
    # a Duke score after the bare name, with its sign written as "+"
    (FP_ECG, "Duke -1, intermediate by itself.", []),
    (FP_ECG, "Treadmill: Duke +1.", ["G109"]),
    (FP_ECG, "Duke score of +9 (low risk).", ["G109", "G801"]),
    # ST changes placed in a lead group that holds none of the study's ST leads (AHA-ECG-2009 groups)
    (FP_ECG, "2 mm horizontal ST depression in the inferolateral leads.", []),
    (FP_ECG, "ST depression in inferior and lateral ECG leads, likely false positive.", []),
    (FP_ECG, "2 mm ST depression in the anterior leads.", ["G202"]),
    (FP_ECG, "ST depression in II, III, aVF and the lateral leads.", []),
    # denials in other words: "don't see", "free of"; a verdict or a size word turned by "not" or "non-"
    (LCX_PET, "I don't see evidence of balanced three-vessel disease.", []),
    (LCX_PET, "Free of balanced ischaemia.", []),
    (LCX_PET, "Findings suggest balanced multivessel disease.", ["G409"]),
    (SMALL_LAD, "The perfusion images are not normal.", []),
    (FP_ECG, "The perfusion images are not normal.", ["G602"]),
    (FP_ECG, "Wall motion and thickening are normal.", []),
    (FP_ECG, "Wall motion and thickening are mildly abnormal.", ["G405"]),
    (LAD_PRIOR, "Dilated LV.", []),
    (LAD_PRIOR, "Non-dilated LV.", ["G601"]),
    # a run-on sentence read clause by clause: the history or advice of one clause is not the next one's
    (
        LAD_PRIOR,
        "Known anterior infarct with worsening dyspnoea and chest pressure, he had no symptoms with adenosine.",
        ["G601"],
    ),
    (LAD_PRIOR, "Known anterior infarct with worsening chest pressure, he had chest pressure with adenosine.", []),
    (LAD_PRIOR, "Dobutamine study for a known infarct, the scan is high risk and I recommend angiography.", ["G603"]),
    (LAD_PRIOR, "Adenosine study for a known infarct, the scan is high risk and I recommend angiography.", []),
    # a wall named in a wider word than the rules' regions ("septal" for anteroseptal and inferoseptal) is graded
    (LBBB, "Mild fixed septal reduction.", []),
    (LBBB, "Fixed severe septal defect.", ["G301"]),
    # a finding argued against is not claimed
    (EQUIVOCAL_INFERIOR, "Preserved inferior thickening argues against infarction.", []),
    (EQUIVOCAL_INFERIOR, "Inferior infarction.", ["G403"]),
    # a change word of this test's ECG is no comparison with a prior study
    ("dev_spect_regadenoson_rca_ischemia_cac860", "No chest pain, ECG unchanged.", []),
    ("dev_spect_regadenoson_rca_ischemia_cac860", "ST segments remained unchanged with regadenoson.", []),
    ("dev_spect_regadenoson_rca_ischemia_cac860", "The defect is unchanged from the prior study.", ["G701"]),
    # a clause begins at a contrasting conjunction: each defect with its own place and its own change
    (
        POST_CABG,
        "New ischaemia in the LCx and LAD territories while the small fixed inferior scar is unchanged.",
        [],
    ),
    (POST_CABG, "New ischaemia in the LCx territory whereas the inferior scar is new.", ["G702"]),
    # a hedged artifact in another wall than the recorded one is a warning; a stated one an error
    ("spect_poor_quality_attenuation", "Possible inferior attenuation artefact.", []),
    ("spect_poor_quality_attenuation", "Inferior attenuation artefact.", ["G202"]),
    # a risk word after the bare name "Duke" is the Duke category, not the study's risk
    ("dev4_spect_dual_isotope_exercise_rca_ischemia", "Duke -4.5 (moderate risk).", []),
    ("dev4_spect_dual_isotope_exercise_rca_ischemia", "Duke -4.5 (low risk).", ["G801"]),
    ("dev4_spect_dual_isotope_exercise_rca_ischemia", "Duke -4.5. Moderate risk study.", ["G801"]),
    # an LVEF grade written before the LVEF; a grade beside another phase's value is that value's grade
    (LAD_SCAR, "Severely reduced EF (28%).", []),
    (LAD_SCAR, "Mildly reduced LVEF at 28%.", ["G304"]),
    (MULTIVESSEL, "Mildly reduced EF 52% at rest.", []),
    ("pet_rb82_balanced_ischemia", "Mildly reduced LVEF 52%.", []),
    ("dev4_spect_adenosine_inferior_scar_low_ef", "Preserved EF.", ["G602"]),
    # a denial after the noun; the denial of balanced ischemia, one branch of the rules' differential, is a warning
    ("test_pet_rb82_dipyridamole_balanced_ischemia", "Balanced multivessel ischemia is excluded.", []),
    (LCX, "Balanced ischemia is ruled out.", []),
    (LCX, "Balanced ischemia is likely.", ["G409"]),
    # the LVEF's direction since the prior; the value after "from" is the prior's
    (EQUIVOCAL_FOLLOWUP, "LVEF improved to 57% from 49%.", []),
    (EQUIVOCAL_FOLLOWUP, "LVEF fell to 57% from 49%.", ["G702"]),
    (EQUIVOCAL_FOLLOWUP, "LVEF improved to 57% from 45%.", ["G101"]),
    (LAD_PRIOR, "EF 34% at rest, falling to 31% after stress.", []),
    (LAD_PRIOR, "LVEF has improved from 38% to 34%.", ["G702"]),
    # ischemia placed in a territory whose defect is a scar, where the clause names no scar
    (POST_CABG, "New ischemia in the LCx and LAD territories and an old RCA scar.", []),
    ("dev4_spect_adenosine_inferior_scar_low_ef", "Inferior ischemia in the RCA territory.", ["G201"]),
    # a reduction read as an artifact in its sentence: a possible defect whose place is still checked
    (EQUIVOCAL_INFERIOR, "Mild inferior count reduction, diaphragmatic attenuation versus RCA disease.", []),
    (EQUIVOCAL_INFERIOR, "Mild anterior count reduction, diaphragmatic attenuation versus RCA disease.", ["G202"]),
    ("dev_spect_exercise_normal_breast_atten", "Mild anterior counts reduction due to breast attenuation.", []),
    # "ischemic" said of the ECG in a predicate ("the ST depression is not ischaemic")
    ("spect_lad_ischemia", "The 0.5 mm upsloping ST depression is not ischaemic.", []),
    ("spect_lad_ischemia", "The ST depression is ischaemic.", ["G607"]),
    ("spect_lad_ischemia", "The anterior wall is not ischemic.", ["G601", "G601"]),
]


@pytest.mark.parametrize(("stem", "text", "codes"), CASES)
def test_physician_sentence(stem: str, text: str, codes: list[str], study_of: Callable[[str], Study]) -> None:
    assert errors(text, study_of(stem)) == codes


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("Fixed mild septal defect of LBBB. LVEF at the lower limit of normal (52%). Low risk.", []),
        ("Fixed mild septal defect of LBBB. LVEF borderline at 51% post-stress. Low risk.", []),
        # left unsaid, an LVEF of 51-52% (below the ASE limit, "preserved" by the HF guidelines) is a warning (guard48,
        # round 16: see test_physician_dev20), no longer an error
        ("Fixed mild septal defect of LBBB. Low risk.", []),
    ],
)
def test_a_borderline_lvef_stated_by_its_value(text: str, codes: list[str], study_of: Callable[[str], Study]) -> None:
    assert errors(text, study_of(LBBB), scope="impression") == codes


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("Equivocal septal perfusion, LBBB. LVEF 52%. Low risk.", []),
        ("Mild fixed septal defect of LBBB. LVEF 52%. Low risk.", []),
        ("Septal dyssynchrony, LVEF 52%. ECG nondiagnostic (LBBB). Low risk.", ["G505"]),
    ],
)
def test_an_equivocal_study_says_something_of_perfusion(
    text: str, codes: list[str], study_of: Callable[[str], Study]
) -> None:
    flags = verify(text, study_of(LBBB), scope="impression")
    assert sorted(f.code.value for f in flags if f.code.value.startswith("G50")) == codes


# whole impressions written here, in other styles, on other studies: each exercises several of the causes above
IMPRESSIONS = [
    (
        "spect_followup_improved_lad",
        "Compared with the prior, the anterior defect is smaller, with a small amount of residual anterior "
        "ischemia; perfusion is otherwise normal. ECG: no ischemic changes. LVEF 57%. Low risk.",
    ),
    (
        "spect_equivocal_inferior_score1",
        "Mild inferior count reduction, diaphragmatic attenuation versus RCA disease; the preserved inferior "
        "thickening argues against infarction. Perfusion elsewhere normal. Stress ECG - no ischaemic "
        "response. Low risk.",
    ),
    (
        "test_spect_lad_scar_peri_infarct_low_ef",
        "Extensive fixed anterior and apical infarct with a small amount of peri-infarct ischemia at its "
        "margins. Severely reduced LVEF at 28%. High risk.",
    ),
    (
        "test_spect_exercise_small_apical_lad_ischemia",
        "Exercise MPI: small apical defect which largely normalizes at rest, c/w moderate distal LAD "
        "ischemia. Pt exercised w/o chest pain. EF 66%. Intermediate risk.",
    ),
    (
        "dev_spect_dobutamine_lad_rca_multivessel",
        "Dobutamine SPECT: severe reversible LAD defect and moderate reversible RCA defect with mildly "
        "impaired LV function (LVEF 52%), TID is present, the patient had chest pain during the infusion with"
        " ischemic ST changes. High risk.",
    ),
    (
        "dev_spect_followup_worse_rca_exercise",
        "Compared with the prior study, the inferior ischemia is more extensive. The patient reports "
        "worsening exertional chest pain. High risk.",
    ),
    (
        "pet_n13_lcx_ischemia",
        "N-13 ammonia adenosine PET. Severe reversible inferolateral and anterolateral defect (LCx), 15% "
        "ischemic myocardium, with severely reduced regional LCx flow reserve of 1.43 whereas LAD (3.02) and "
        "RCA (2.82) are normal; global MFR 2.47, arguing against balanced disease. EF 60% rest, 63% peak. ECG"
        " - no ischemic changes; flushing and dyspnoea, no angina. High risk.",
    ),
    (
        "pet_n13_lcx_ischemia",
        "IMPRESSION: 1) Moderate-sized, severe, completely reversible LCx-territory defect (SSS 10, SRS 0, "
        "SDS 10). 2) Regional LCx MFR markedly reduced (1.43); MFR otherwise normal. 3) LVEF 60 % at rest, "
        "rising to 63 %. 4) Nonischaemic ECG. 5) High risk; angiography may be considered.",
    ),
    (
        "dev_spect_regadenoson_rca_ischemia_cac860",
        "Regadenoson sestamibi SPECT shows a medium, severe, fully reversible inferior and inferoseptal "
        "defect in the RCA territory, 13% of the LV, without scar. LV function is preserved (EF 54% "
        "post-stress, 57% rest) with normal wall motion. No chest pain, ECG unchanged. Extensive coronary "
        "calcium (Agatston 860). High risk.",
    ),
    (
        "spect_three_vessel_tl201",
        "Exercise Tl-201 stress-only study: severe anterior and apical, moderate inferolateral and severe "
        "inferior defects, i.e. three-vessel disease, though ischemia cannot be separated from scar without "
        "rest imaging. LVEF moderately reduced at 38% with an ESV of 99 mL. Limiting chest pressure and 2 mm "
        "ST depression in the lateral leads; Duke -13. High risk.",
    ),
    (
        "dev_spect_lcx_scar_stable_vs_prior_report",
        "Fixed lateral wall infarct in the circumflex territory, unchanged since 12 June 2024, with no "
        "reversible component to suggest ischemia. LVEF 44%, mildly reduced (previously 47%). Submaximal "
        "exercise (78% MPHR) without symptoms; ECG nondiagnostic. High risk by ESV 72 mL.",
    ),
    (
        "test_spect_stress_only_normal_cac145",
        "Normal stress-only regadenoson SPECT: no perfusion defect, so rest imaging was not needed. LVEF 62%,"
        " normal wall motion. Moderate CAC (Agatston 145), which argues for preventive therapy. No ischaemic "
        "ECG changes, no chest pain. Low risk.",
    ),
    (
        "test_pet_rb82_dipyridamole_balanced_ischemia",
        "Near-normal relative perfusion (only a possible mild inferolateral reduction) but severely reduced "
        "global flow reserve of 1.17, reduced in every territory, with a fall in LVEF from 53% to 46% at peak"
        " stress: balanced multivessel ischemia is likely, microvascular disease being the alternative. "
        "Angina and 1 mm ST depression with dipyridamole. Severe coronary calcification. High risk.",
    ),
    (
        "dev_pet_n13_normal_perfusion_reduced_mfr_cac0",
        "Relative perfusion is normal. Global MFR is reduced at 1.7 in all three territories; with a zero "
        "calcium score this is more in keeping with microvascular dysfunction than with balanced three-vessel"
        " CAD, although the latter cannot be excluded. Chest discomfort with adenosine but no ischaemic ECG "
        "changes. EF 62%. Intermediate risk.",
    ),
    (
        "dev_spect_poor_quality_obese_probably_normal",
        "Technically limited regadenoson study (poor image quality, body habitus). Mild fixed anterior "
        "reduction, most likely breast attenuation rather than infarction; no convincing reversible defect. "
        "Probably normal perfusion. EF 63%. No chest pain; nonischemic ECG. Low risk, though the limited "
        "quality reduces confidence.",
    ),
    (
        "test_pet_rb82_followup_improved_after_rca_pci",
        "Following RCA PCI the previously seen inferior ischemia has resolved; perfusion is now normal with a"
        " normal global MFR of 2.79. LVEF is 58% at rest, improved from 52% before. No chest pain, no ECG "
        "changes. Low risk.",
    ),
    (
        "spect_poor_quality_attenuation",
        "Suboptimal images limit interpretation. Possible anterior attenuation artefact; no definite ischemia"
        " or scar. Probably normal study. LVEF 61%. Regadenoson: dyspnea only, ECG negative for ischemia. Low"
        " risk.",
    ),
    (
        "dev_spect_exercise_normal_breast_atten",
        "Maximal exercise (95% MPHR, 10.7 METs), no symptoms, no ST changes, Duke 9.5. Mild anterior counts "
        "reduction due to breast attenuation, normal on attenuation-corrected images; no ischemia. LVEF 67%. "
        "Low risk; no further testing required.",
    ),
    (
        "test_spect_post_cabg_worse_lcx_lad_ischemia_tid",
        "Since the study of September 2023 there is new ischaemia in the LCx and LAD territories (17.6% of "
        "the LV) while the small fixed inferior scar is unchanged, with TID and post-stress stunning (LVEF "
        "45% after stress, 53% at rest). Angina and 1 mm ST depression during adenosine. High risk; graft "
        "angiography advised.",
    ),
    (
        "dev4_spect_dual_isotope_exercise_rca_ischemia",
        "Exercise (8.7 METs, 90% MPHR, 142 bpm) with non-limiting angina and 1.5 mm inferior ST depression, "
        "Duke -4.5 (moderate risk). Large, moderate, reversible inferior and inferoseptal defect (RCA), ~15% "
        "of the LV, with inferior hypokinesis; no scar. EF 56%, TID 1.06 (normal). High risk.",
    ),
    (
        "dev4_spect_adenosine_inferior_scar_low_ef",
        "Large severe fixed inferior and inferoseptal defect = RCA infarct; no peri-infarct ischemia and no "
        "reversible defect elsewhere. LV dilated (ESV 120 mL) with EF 34% at rest and post-stress; inferior "
        "akinesis. Adenosine: flushing, dyspnoea, PVCs; baseline ST-T changes limit the ECG. High risk; ICD "
        "evaluation may be considered if the EF remains below 35% on therapy.",
    ),
    (
        "spect_followup_improved_lad",
        "Improved compared with October 2025: the anterior defect is smaller and less severe, now small and "
        "only minimally reversible (ischaemic myocardium ~4%), which may be ischaemia or residual artefact - "
        "equivocal. LVEF improved to 57% from 49%. No symptoms other than dyspnoea and flushing; no ischaemic"
        " ECG changes. Intermediate risk.",
    ),
    (
        "dev_spect_dobutamine_lad_rca_multivessel",
        "Dobutamine/atropine stress to 88% MPHR, stopped with chest pressure and 2 mm downsloping ST "
        "depression. Severe reversible LAD (anterior, septal, apical) and moderate reversible RCA (inferior) "
        "defects, 26.5% ischaemic myocardium, i.e. multivessel disease. Rest EF 52%, dropping to 41% "
        "post-stress with TID 1.38. High risk; urgent angiography recommended.",
    ),
    (
        "spect_inferior_scar_attenuation",
        "Fixed inferior and inferoseptal defect, severe, in the RCA distribution, consistent with an old "
        "infarct rather than diaphragmatic attenuation given the associated wall-motion abnormality; no "
        "inducible ischemia. EF mildly reduced, 47%. Good exercise capacity (7.5 METs), no angina, ECG "
        "negative. Intermediate risk.",
    ),
    (
        "spect_lad_ischemia",
        "Moderate reversible anterior defect = LAD ischaemia, roughly 9% of the myocardium (mild in extent). "
        "EF 55%, normal. Regadenoson with flushing and dyspnoea; the 0.5 mm upsloping ST depression is not "
        "ischaemic. Intermediate risk; medical therapy optimisation, angiography if symptoms persist.",
    ),
    (
        "spect_normal_cac_450",
        "Normal perfusion at a high workload (11.7 METs, 94% MPHR) with no ischaemic ECG changes and no "
        "symptoms; Duke +7.5. LVEF 62%. Low short-term risk, but an Agatston score of 450 warrants aggressive"
        " risk-factor modification.",
    ),
]


@pytest.mark.parametrize(("stem", "text"), IMPRESSIONS)
def test_correct_impressions_in_other_styles_stay_clean(stem: str, text: str, study_of: Callable[[str], Study]) -> None:
    assert errors(text, study_of(stem), scope="impression") == []


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("Normal perfusion; the 2 mm ST depression is likely a false positive. LVEF 68%. Low risk.", []),
        ("Normal MPI, EKG positive for ischemia. EF 68%. Low risk.", []),
        ("Normal myocardial perfusion. LVEF 68%. Low risk.", ["G510"]),
    ],
)
def test_an_ischemic_ecg_response_is_mentioned(text: str, codes: list[str], study_of: Callable[[str], Study]) -> None:
    flags = verify(text, study_of(FP_ECG), scope="impression")
    assert [f.code.value for f in flags if f.code.value == "G510"] == codes
    assert all(f.severity.value == "warning" for f in flags if f.code.value == "G510")
