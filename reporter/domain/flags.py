"""The one catalogue of flag codes: what a guardrail check or the drafting loop reports.

Every code is stable (``G101``), with a default severity, a one-line title, and, where its message
has a fixed form, the message template. Tests assert codes, never the wording. Never renumber a
code; add new ones at the end of their block. The catalogue is data of the kernel, so the report
layer names its flags without importing the guardrails; ``guardrails.flags`` builds its ``Flag``
on it.

    G1xx  wrong number                G5xx  missing finding (scope="impression")
    G2xx  wrong location              G6xx  contradiction (negation flip, normal/abnormal, agent, tracer)
    G3xx  wrong severity / extent /   G7xx  comparison with a prior
          reversibility               G8xx  risk statement
    G4xx  finding not in the facts    G9xx  internal consistency of one text (QA), and of a rephrased
                                            sentence with its reference (G904, G905)
    N1xx  the LLM drafting loop: a sentence repaired (N101) or replaced (N102), the model not used (N103)
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

__all__ = ["CATALOGUE", "CodeSpec", "FlagCode", "FlagSeverity"]


class FlagSeverity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class FlagCode(StrEnum):
    # wrong number
    LVEF = "G101"
    LV_VOLUME = "G102"
    TID_RATIO = "G103"
    SUMMED_SCORE = "G104"
    PERFUSION_PERCENT = "G105"
    FLOW = "G106"
    CALCIUM = "G107"
    HEMODYNAMICS = "G108"
    EXERCISE = "G109"
    DOSE = "G110"
    UNSUPPORTED_NUMBER = "G111"
    DATE = "G112"
    # wrong location
    TERRITORY = "G201"
    WALL = "G202"
    SEGMENT = "G203"
    # wrong character of a defect
    SEVERITY = "G301"
    EXTENT = "G302"
    REVERSIBILITY = "G303"
    LVEF_CATEGORY = "G304"
    # finding not in the facts
    FALSE_DEFECT = "G401"
    FALSE_ISCHEMIA = "G402"
    FALSE_SCAR = "G403"
    FALSE_TID = "G404"
    FALSE_WALL_MOTION = "G405"
    FALSE_ARTIFACT = "G406"
    FALSE_LUNG_UPTAKE = "G407"
    FALSE_RV = "G408"
    FALSE_OTHER = "G409"
    FALSE_SYMPTOM = "G410"
    UNSUPPORTED_ADVICE = "G411"
    ADVICE_AGAINST_FACTS = "G412"
    # missing finding
    MISSING_ISCHEMIA = "G501"
    MISSING_SCAR = "G502"
    MISSING_HIGH_RISK = "G503"
    MISSING_REDUCED_EF = "G504"
    MISSING_ABNORMAL_PERFUSION = "G505"
    MISSING_HIGH_RISK_FEATURE = "G506"
    MISSING_RISK = "G507"
    MISSING_REDUCED_FLOW = "G508"
    MISSING_LIMITATION = "G509"
    MISSING_ECG_RESPONSE = "G510"
    MISSING_COMPARISON = "G511"
    # contradictions
    NEGATION_FLIP = "G601"
    NORMAL_ABNORMAL = "G602"
    STRESS_AGENT = "G603"
    TRACER = "G604"
    STRESS_TYPE = "G605"
    MODALITY = "G606"
    ECG_RESPONSE = "G607"
    # comparison
    COMPARISON_WITHOUT_PRIOR = "G701"
    COMPARISON_CONTRADICTS_PRIOR = "G702"
    PRIOR_DENIED = "G703"
    # risk
    RISK = "G801"
    # internal consistency of one text
    IMPRESSION_VS_FINDINGS = "G901"
    TITLE_VS_BODY = "G902"
    INCONSISTENT_VALUES = "G903"
    PARAPHRASE_DROPS = "G904"
    PARAPHRASE_ADDS = "G905"
    # the LLM drafting loop (reporter.llm.drafter, reporter.report)
    MODEL_TEXT_REPAIRED = "N101"
    MODEL_TEXT_REPLACED = "N102"
    NO_LLM = "N103"


@dataclass(frozen=True, slots=True)
class CodeSpec:
    """A code's default severity, its one-line title, and (where its message has a fixed form) the
    message template, filled by :meth:`message` with ``str.format`` fields."""

    severity: FlagSeverity
    title: str
    template: str = ""

    def message(self, **fields: object) -> str:
        if not self.template:
            raise ValueError(f"code {self.title!r} has no message template; its check words the message")
        return self.template.format(**fields)


_E, _W, _I = FlagSeverity.ERROR, FlagSeverity.WARNING, FlagSeverity.INFO
C = FlagCode

#: Default severity and a one-line title of every code (the message adds the particulars).
CATALOGUE: MappingProxyType[FlagCode, CodeSpec] = MappingProxyType(
    {
        C.LVEF: CodeSpec(_E, "reported LVEF differs from the measured value"),
        C.LV_VOLUME: CodeSpec(_E, "reported LV volume (EDV/ESV) differs from the measured value"),
        C.TID_RATIO: CodeSpec(_E, "reported TID ratio differs from the measured value"),
        C.SUMMED_SCORE: CodeSpec(_E, "reported summed score (SSS/SRS/SDS) differs from the measured value"),
        C.PERFUSION_PERCENT: CodeSpec(_E, "reported TPD or % of the left ventricle differs from the measured value"),
        C.FLOW: CodeSpec(_E, "reported myocardial blood flow or flow reserve differs from the measured value"),
        C.CALCIUM: CodeSpec(_E, "reported calcium score differs from the measured value"),
        C.HEMODYNAMICS: CodeSpec(_E, "reported heart rate or blood pressure differs from the stress data"),
        C.EXERCISE: CodeSpec(_E, "reported exercise data (duration, METs, %MPHR, Duke score) differ"),
        C.DOSE: CodeSpec(_E, "reported dose or activity differs from the procedure data"),
        C.UNSUPPORTED_NUMBER: CodeSpec(_E, "number with no supporting fact"),
        C.DATE: CodeSpec(_E, "date differs from the study or prior-study date"),
        C.TERRITORY: CodeSpec(_E, "wrong coronary territory"),
        C.WALL: CodeSpec(_E, "wrong wall"),
        C.SEGMENT: CodeSpec(_E, "wrong segment"),
        C.SEVERITY: CodeSpec(_E, "wrong defect severity"),
        C.EXTENT: CodeSpec(_E, "wrong defect extent"),
        C.REVERSIBILITY: CodeSpec(_E, "wrong reversibility (reversible / partially reversible / fixed)"),
        C.LVEF_CATEGORY: CodeSpec(_E, "wrong grade of LV systolic function"),
        C.FALSE_DEFECT: CodeSpec(_E, "perfusion defect not in the facts"),
        C.FALSE_ISCHEMIA: CodeSpec(_E, "ischemia not in the facts"),
        C.FALSE_SCAR: CodeSpec(_E, "scar or infarction not in the facts"),
        C.FALSE_TID: CodeSpec(_E, "transient ischemic dilation not in the facts"),
        C.FALSE_WALL_MOTION: CodeSpec(_E, "wall-motion statement not in the facts"),
        C.FALSE_ARTIFACT: CodeSpec(_E, "artifact not in the facts"),
        C.FALSE_LUNG_UPTAKE: CodeSpec(_E, "increased lung uptake not in the facts"),
        C.FALSE_RV: CodeSpec(_E, "right-ventricular finding not in the facts"),
        C.FALSE_OTHER: CodeSpec(_E, "finding not in the facts"),
        C.FALSE_SYMPTOM: CodeSpec(_E, "stress symptom (chest pain, angina) not in the stress data"),
        # A physician may advise or conclude beyond the facts: shown as unverified, never blocking.
        # verify(origin="model") makes it an error: a model sentence must not add advice or a conclusion.
        C.UNSUPPORTED_ADVICE: CodeSpec(_W, "recommendation or conclusion that no fact of the study verifies"),
        # Invasive angiography or revascularization advised after a normal, low-risk study, or no further testing
        # (discharge, repeat imaging in years) after a high-risk one: the facts argue against it (a physician may
        # still advise it for symptoms or other reasons; a model may not).
        C.ADVICE_AGAINST_FACTS: CodeSpec(
            _W,
            "advice against the risk: invasive testing for a normal low-risk study, standing down at high risk, "
            "urgency where the risk is not high; coronary disease called excluded at a submaximal heart rate "
            "(an error)",
        ),
        C.MISSING_ISCHEMIA: CodeSpec(_E, "ischemia is not mentioned"),
        C.MISSING_SCAR: CodeSpec(_E, "scar is not mentioned"),
        C.MISSING_HIGH_RISK: CodeSpec(_E, "high-risk result is not stated"),
        C.MISSING_REDUCED_EF: CodeSpec(_E, "reduced LV systolic function is not mentioned"),
        C.MISSING_ABNORMAL_PERFUSION: CodeSpec(_E, "abnormal perfusion is not mentioned"),
        C.MISSING_HIGH_RISK_FEATURE: CodeSpec(_W, "a high-risk feature is not mentioned"),
        C.MISSING_RISK: CodeSpec(_W, "no risk statement"),
        C.MISSING_REDUCED_FLOW: CodeSpec(_W, "a reduced global myocardial flow reserve is not mentioned"),
        # a normal result at a submaximal heart rate is less sensitive (ASNC-REPORTING-2009: an inadequate stress
        # is stated); the impression is where a reader who reads only it learns so
        C.MISSING_LIMITATION: CodeSpec(_W, "a normal result at a submaximal heart rate without that caveat"),
        # the stress ECG response is a required element of the report (ASNC-REPORTING-2009); an ischemic one
        # beside normal perfusion is the discordant finding a reader of the impression alone must not miss
        C.MISSING_ECG_RESPONSE: CodeSpec(_W, "an ischemic stress ECG response with normal perfusion is not mentioned"),
        # the comparison with a prior study is an element of the impression where one was provided
        # (ASNC-REPORTING-2009); a change the rules find is what a reader of the impression alone must learn
        C.MISSING_COMPARISON: CodeSpec(_W, "a change since the prior study is not mentioned"),
        C.NEGATION_FLIP: CodeSpec(_E, "the text negates a finding the facts show (or affirms one they exclude)"),
        C.NORMAL_ABNORMAL: CodeSpec(_E, "normal/abnormal contradicts the facts"),
        C.STRESS_AGENT: CodeSpec(_E, "wrong stress agent"),
        C.TRACER: CodeSpec(_E, "wrong tracer"),
        C.STRESS_TYPE: CodeSpec(_E, "wrong type of stress (exercise / pharmacologic)"),
        C.MODALITY: CodeSpec(_E, "wrong modality (SPECT / PET)"),
        C.ECG_RESPONSE: CodeSpec(_E, "wrong ECG response"),
        C.COMPARISON_WITHOUT_PRIOR: CodeSpec(_E, "comparison with a prior study, but no prior was provided"),
        C.COMPARISON_CONTRADICTS_PRIOR: CodeSpec(_E, "comparison contradicts the prior study"),
        C.PRIOR_DENIED: CodeSpec(_E, "text says there is no prior study, but one was provided"),
        C.RISK: CodeSpec(_E, "risk statement contradicts the rules"),
        C.IMPRESSION_VS_FINDINGS: CodeSpec(_E, "impression contradicts the findings of the same text"),
        C.TITLE_VS_BODY: CodeSpec(_E, "title or procedure line contradicts the body of the report"),
        C.INCONSISTENT_VALUES: CodeSpec(_W, "the same quantity is stated with different values"),
        C.PARAPHRASE_DROPS: CodeSpec(_E, "a rephrased sentence leaves out a fact of the sentence it rephrases"),
        C.PARAPHRASE_ADDS: CodeSpec(_E, "a rephrased sentence states something the sentence it rephrases does not"),
        C.MODEL_TEXT_REPAIRED: CodeSpec(
            _I,
            "the model's first sentence failed verification; the repaired one passed",
            "Model text was repaired after: {problems}.",
        ),
        C.MODEL_TEXT_REPLACED: CodeSpec(
            _I,
            "the model's sentence failed verification twice; the rule-based sentence was kept",
            "Model text failed verification twice and was replaced by the rule-based sentence ({problems}).",
        ),
        C.NO_LLM: CodeSpec(
            _W,
            "the language model was not used; the narrative is the rule-based text",
            "The language model was not used ({reason}); the narrative is the rule-based text.",
        ),
    }
)
