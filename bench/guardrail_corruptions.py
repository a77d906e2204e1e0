"""Measure the guardrails: detection recall per corruption type, false flags on clean texts, latency.

The correct narratives are the rule-based report sentences of every example study (the impression,
verified with ``scope="impression"``, and each findings section, verified with ``scope="full"``), as
the product's own text (``origin="model"``: what a physician may write as a reading, a model may not).
Each corruption type is applied many times, programmatically, to every text it applies to; a
corruption counts as detected when ``verify`` returns an error-severity flag of the expected code
family (G1xx for a number, G2xx for a location...). A corruption that happens to produce a true
statement (e.g. a number changed to another value of the study) is skipped, not counted.

A second set, ``bench/data/physician_impressions/*.json``, holds impressions written by hand in
several physicians' styles (not the product's templates) for the examples and for the studies of
``bench/data/physician_studies/``, with single-edit corruptions (find/replace) of each. On it the
bench prints the clean pass rate (correct impressions with no error flag) and the recall per
corruption type: a corruption is detected when it raises a flag code the correct text does not
(an error; for an omitted high-risk feature or added advice, whose codes are warnings for a
physician's text, a warning counts).

``bench/data/physician_impressions_heldout/`` is a second, smaller set of the same form, written by
another "writer" after the guardrails were fixed on the first (pass it with ``--physician-set``).
``bench/data/physician_impressions_dev2/`` (8 new studies, ``dev_*`` in ``physician_studies``; its writer's
``NOTES.md``) was written blind by an outside writer; first run, unseen: 43.8 % clean, recall 0.740 (main
before this work: 34.4 %, 0.750); after fixing on it (so no longer unseen): 100 % clean, recall 0.952; after the
remaining misses were fixed by mechanism (branch ``guardrecall``): 100 % clean, recall 1.000.
Later blind sets (``physician_impressions_test3``, ``_dev4``, ``_dev5``, ``_test4``; each README gives its
first, unseen scoring): the sealed ``_test4`` scored 52.4 % clean, recall 0.776 before the day's last two
rounds of fixes and 71.4 %, 0.821 after them (README.md, "On text no fixer had seen").

    python bench/guardrail_corruptions.py [--reps 20] [--seed 7] [--examples examples] [--set both]
    python bench/guardrail_corruptions.py --set physician --physician-set bench/data/physician_impressions_heldout
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from guardrails import verify
from guardrails.claims import read_claims
from guardrails.facts import Facts, facts_of
from reporter.domain.finding import Section
from reporter.domain.rules import evaluate
from reporter.domain.study import Study
from reporter.inputs import load_study
from reporter.report import draft_report


@dataclass(frozen=True)
class Narrative:
    example: str
    section: str
    text: str
    study: Study
    facts: Facts
    scope: str


Corruption = Callable[[Narrative, random.Random], str | None]
TERRITORIES = ("LAD", "LCx", "RCA")
WALLS = ("anterior", "anteroseptal", "inferoseptal", "inferior", "inferolateral", "lateral", "anterolateral")
AGENTS = ("regadenoson", "adenosine", "dipyridamole", "dobutamine")
TRACERS = ("Tc-99m sestamibi", "Tc-99m tetrofosmin", "Tl-201", "Rb-82", "N-13 ammonia")
SEVERITIES = ("mild", "moderate", "severe")


def _numbers(n: Narrative) -> list[tuple[int, int, str]]:
    claims = read_claims(n.text)
    out = []
    for c in claims.numbers:
        if c.unit == "segment":
            continue
        raw = c.text_value or n.text[c.span[0] : c.span[1]]
        start = n.text.find(raw, c.span[0])
        out.append((start, start + len(raw), raw))
    return out


def change_number(n: Narrative, rng: random.Random) -> str | None:
    nums = _numbers(n)
    if not nums:
        return None
    a, b, raw = rng.choice(nums)
    if "/" in raw:
        sys_, dia = raw.split("/")
        new = f"{int(sys_) + rng.choice([-1, 1]) * rng.randint(8, 30)}/{dia}"
    else:
        value = float(raw.replace(",", ""))
        decimals = len(raw.split(".")[1]) if "." in raw else 0
        if abs(value) < 4 and decimals == 0:
            new_value = value + rng.choice([1, 2, 3])
        else:
            factor = rng.choice([-1, 1]) * rng.uniform(0.12, 0.45)
            new_value = round(value * (1 + factor), decimals)
        if new_value == value:
            return None
        new = f"{new_value:.{decimals}f}"
    return n.text[:a] + new + n.text[b:]


def _defect_sentences(n: Narrative) -> list[tuple[int, int]]:
    return [
        (m.start(), m.end())
        for m in re.finditer(r"[^\n]*(?:defect|wall motion is abnormal)[^\n]*", n.text)
        if re.search(r"\b(?:LAD|LCx|RCA|anterior|inferior|lateral|septal|apex)\b", m.group(0))
        and not re.search(r"\bno stress-induced\b", m.group(0))
    ]


def swap_territory(n: Narrative, rng: random.Random) -> str | None:
    spans = [
        (a + m.start(), a + m.end(), m.group(1))
        for a, b in _defect_sentences(n)
        for m in re.finditer(r"\b(LAD|LCx|RCA)\b", n.text[a:b])
    ]
    if not spans:
        return None
    s, e, old = rng.choice(spans)
    with_defect = {d.territory for d in n.facts.defects + n.facts.equivocal}
    choices = [t for t in TERRITORIES if t != old and t not in with_defect]
    if not choices:
        return None
    return n.text[:s] + rng.choice(choices) + n.text[e:]


def swap_wall(n: Narrative, rng: random.Random) -> str | None:
    spans = [
        (a + m.start(), a + m.end(), m.group(1))
        for a, b in _defect_sentences(n)
        for m in re.finditer(r"\b(" + "|".join(sorted(WALLS, key=len, reverse=True)) + r")\b", n.text[a:b])
    ]
    if not spans:
        return None
    s, e, old = rng.choice(spans)
    used = {w for d in n.facts.defects + n.facts.equivocal + n.facts.wall_motion for w in d.walls}
    family = {"septal", "lateral"}
    choices = [w for w in WALLS if w not in used and w not in family and w != old]
    if not choices:
        return None
    return n.text[:s] + rng.choice(choices) + n.text[e:]


_FLIPS = (
    (
        r"\bNormal myocardial perfusion, without evidence of ischemia or infarction",
        "Normal myocardial perfusion, with evidence of ischemia",
    ),
    (r"\bwithout evidence of ischemia or infarction", "with evidence of ischemia and infarction"),
    (r"\bwithout definite evidence of ischemia or infarction", "with evidence of ischemia"),
    (r"\bAbnormal myocardial perfusion\b", "Normal myocardial perfusion"),
    (r"\bNormal myocardial perfusion\b", "Abnormal myocardial perfusion"),
    (r"\bconsistent with ischemia\b", "without ischemia"),
    (r"\bconsistent with scar \(infarction\) without ischemia", "without scar"),
    (r"\bconsistent with ischemia and scar\b", "without ischemia or scar"),
    (r"\bThere is no stress-induced or fixed perfusion defect\b", "There is a stress-induced perfusion defect"),
    (r"\bis abnormal\b", "is normal"),
    (r"\(normal;", "(abnormal;"),
    (r"\bNormal left ventricular systolic function\b", "Reduced left ventricular systolic function"),
    (r"\bwith transient ischemic dilation\b", "without transient ischemic dilation"),
    (r"\bnonischemic ECG response\b", "ischemic ECG response"),
    (r"\ban ischemic ECG response\b", "a nonischemic ECG response"),
    (r"\bwith an ischemic ECG response\b", "with a nonischemic ECG response"),
    (r"\bRegional wall motion and thickening are normal\b", "Regional wall motion is abnormal"),
)


def flip_negation(n: Narrative, rng: random.Random) -> str | None:
    options = [(m, new) for rx, new in _FLIPS for m in [re.search(rx, n.text)] if m]
    if n.facts.ischemia_markers:  # TID, stunning or low flow reserve: "evidence of ischemia" would be true
        options = [(m, new) for m, new in options if "with evidence of ischemia" not in new]
    if not options:
        return None
    m, new = rng.choice(options)
    return n.text[: m.start()] + new + n.text[m.end() :]


def swap_reversibility(n: Narrative, rng: random.Random) -> str | None:
    spans = [
        (a + m.start(), a + m.end(), m.group(0))
        for a, b in _defect_sentences(n)
        for m in re.finditer(r"\b(?:partially reversible|reversible|fixed)\b", n.text[a:b])
    ]
    if not spans:
        return None
    s, e, old = rng.choice(spans)
    choices = [w for w in ("reversible", "fixed", "partially reversible") if w != old]
    return n.text[:s] + rng.choice(choices) + n.text[e:]


def change_severity(n: Narrative, rng: random.Random) -> str | None:
    spans = []
    for a, b in _defect_sentences(n):
        if "wall motion" in n.text[a:b]:
            continue
        for m in re.finditer(r"\b(mild|moderate|severe)(?:-to-(mild|moderate|severe))?\b", n.text[a:b]):
            if re.match(r"[^.;()]*\bdefect\b", n.text[a + m.end() : b]):  # a defect's grade, not a burden's
                spans.append((a + m.start(), a + m.end(), m.group(0)))
    if not spans:
        return None
    s, e, _old = rng.choice(spans)
    allowed = {w for d in n.facts.defects + n.facts.equivocal for w in d.severity_range}
    choices = [w for w in SEVERITIES if w not in allowed]
    if not choices:
        return None
    return n.text[:s] + rng.choice(choices) + n.text[e:]


def insert_fabricated(n: Narrative, rng: random.Random) -> str | None:
    f = n.facts
    pool = []
    free = [t for t in TERRITORIES if t not in {d.territory for d in f.defects + f.equivocal}]
    walls = {"LAD": "anterior", "LCx": "lateral", "RCA": "inferior"}
    for t in free:
        pool.append(
            f"There is a small, mild reversible perfusion defect in the {t} territory involving the {walls[t]} wall."
        )
    if not f.tid_abnormal:
        pool.append("There is transient ischemic dilation of the left ventricle.")
    if not f.wall_motion:
        pool.append("Regional wall motion is abnormal (hypokinetic) in the lateral wall.")
    if not f.artifacts:
        pool.append("Breast attenuation artifact is noted in the anterior wall.")
    if not f.lung_abnormal:
        pool.append("Increased lung uptake is noted.")
    pool.append("The right ventricle is dilated.")
    if not f.scar:
        pool.append("There is evidence of prior infarction (scar) in the inferior wall.")
    if not f.features.get("lvef_drop"):
        pool.append("There is a post-stress drop in LVEF, suggesting stunning.")
    sentence = rng.choice(pool)
    return n.text.rstrip() + "\n" + sentence


def drop_significant(n: Narrative, rng: random.Random) -> str | None:
    if n.scope != "impression":
        return None
    lines = n.text.split("\n")
    f = n.facts
    carriers = {}  # kind -> the sentences that state it; the finding is dropped from every one of them
    if f.ischemia:
        carriers["ischemia"] = r"ischemi"
    if f.scar:
        carriers["scar"] = r"\bscar\b|infarction\)"
    if f.risk == "high":
        carriers["high risk"] = r"^High risk"
    if f.lvef_category not in (None, "normal"):
        carriers["reduced EF"] = r"reduced left ventricular systolic function|\bLVEF\b"
    if f.perfusion_category == "abnormal":
        carriers["abnormal perfusion"] = r"^Abnormal myocardial perfusion|\bdefect\b"
    kinds = [k for k, rx in carriers.items() if any(re.search(rx, line) for line in lines)]
    if not kinds:
        return None
    rx = carriers[rng.choice(kinds)]
    kept = [line for line in lines if not re.search(rx, line)]
    return "\n".join(kept) if kept else None


def wrong_agent_or_tracer(n: Narrative, rng: random.Random) -> str | None:
    spans = [
        (m.start(), m.end(), m.group(0), "agent") for m in re.finditer(r"\b(?:" + "|".join(AGENTS) + r")\b", n.text)
    ]
    spans += [
        (m.start(), m.end(), m.group(0), "tracer") for m in re.finditer("|".join(re.escape(t) for t in TRACERS), n.text)
    ]
    if not spans:
        return None
    s, e, old, kind = rng.choice(spans)
    if kind == "agent":
        choices = [a for a in AGENTS if a != old]
    else:
        choices = [
            t
            for t in TRACERS
            if t not in n.facts.tracers and (t.startswith(("Rb", "N-")) == (n.facts.modality == "PET"))
        ]
    if not choices:
        return None
    return n.text[:s] + rng.choice(choices) + n.text[e:]


def false_comparison(n: Narrative, rng: random.Random) -> str | None:
    if not n.facts.has_prior:
        pool = [
            "Compared with the prior study, perfusion is unchanged.",
            "There has been no significant change since the previous study.",
            "The defect is new compared with the prior scan.",
        ]
        return n.text.rstrip() + "\n" + rng.choice(pool)
    swaps = [
        (r"\bis new\b", "is unchanged"),
        (r"\bChanged since\b", "Unchanged since"),
        (r": unchanged\b", ": worsened"),
        (r"\bNo prior study was provided for comparison\b", "No prior study"),
    ]
    options = [(m, new) for rx, new in swaps for m in [re.search(rx, n.text)] if m]
    if not options:
        return n.text.rstrip() + "\nNo prior study is available for comparison."
    m, new = rng.choice(options)
    return n.text[: m.start()] + new + n.text[m.end() :]


def wrong_risk(n: Narrative, rng: random.Random) -> str | None:
    m = re.search(r"\b(Low|Intermediate|High) risk of cardiac events", n.text)
    if not m:
        return None
    choices = [w for w in ("Low", "Intermediate", "High") if w != m.group(1)]
    return n.text[: m.start(1)] + rng.choice(choices) + n.text[m.end(1) :]


CORRUPTIONS: dict[str, tuple[Corruption, tuple[str, ...]]] = {
    "change a number": (change_number, ("G1",)),
    "swap territory": (swap_territory, ("G2",)),
    "swap wall": (swap_wall, ("G2",)),
    "flip negation": (flip_negation, ("G6", "G4", "G5", "G3")),
    "swap reversible/fixed": (swap_reversibility, ("G303",)),
    "change severity": (change_severity, ("G301",)),
    "insert fabricated finding": (insert_fabricated, ("G4", "G2")),
    "drop significant finding": (drop_significant, ("G5",)),
    "wrong agent/tracer": (wrong_agent_or_tracer, ("G603", "G604")),
    "false comparison": (false_comparison, ("G7",)),
    "wrong risk": (wrong_risk, ("G801",)),
}


def narratives(examples: Path) -> list[Narrative]:
    out = []
    for path in sorted(examples.glob("*.json")):
        study = load_study(path)
        report = draft_report(study)
        facts = facts_of(study, evaluate(study))
        for section in report.sections:
            if section.key in (Section.INDICATION, Section.DECISION_SUPPORT):
                continue
            text = "\n".join(s.text for s in section.sentences)
            scope = "impression" if section.key is Section.IMPRESSION else "full"
            out.append(Narrative(path.stem, section.key.value, text, study, facts, scope))
    return out


def _errors(n: Narrative, text: str) -> list[str]:
    flags = verify(text, n.study, scope=n.scope, origin="model")  # type: ignore[arg-type]
    return [f.code.value for f in flags if f.severity.value == "error"]


PHYSICIAN_SET = Path(__file__).parent / "data" / "physician_impressions"
#: Corruption types of the physician set whose expected flag is a warning for a physician's text.
WARNING_COUNTS = frozenset({"omission", "unsupported_advice"})


@dataclass(frozen=True)
class Written:
    study_name: str
    ident: str
    style: str
    text: str
    study: Study


def physician_set(folder: Path) -> tuple[list[Written], list[tuple[Written, str, str]]]:
    """The correct impressions and (impression, type, corrupted text) of the hand-written set."""
    clean: list[Written] = []
    corrupted: list[tuple[Written, str, str]] = []
    root = folder.parent.parent.parent
    for path in sorted(folder.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        study = load_study(root / data["study"])
        by_id = {}
        for item in data["impressions"]:
            w = Written(path.stem, item["id"], item["style"], item["text"], study)
            by_id[w.ident] = w
            clean.append(w)
        for c in data["corruptions"]:
            w = by_id[c["of"]]
            if w.text.count(c["find"]) != 1:
                raise ValueError(f"{path.name}: {c['find']!r} is not in impression {w.ident} exactly once")
            corrupted.append((w, c["type"], w.text.replace(c["find"], c["replace"])))
    return clean, corrupted


def _codes(text: str, study: Study, severities: tuple[str, ...]) -> Counter[str]:
    return Counter(f.code.value for f in verify(text, study, scope="impression") if f.severity.value in severities)


def run_physician_set(folder: Path, show: int) -> None:
    clean, corrupted = physician_set(folder)
    verify(clean[0].text, clean[0].study)  # build the pipeline outside the timings
    latencies: list[float] = []
    passed = 0
    for w in clean:
        t0 = time.perf_counter()
        flags = verify(w.text, w.study, scope="impression")
        latencies.append((time.perf_counter() - t0) * 1000)
        errors = [f"{f.code.value} {w.text[f.span[0] : f.span[1]]!r}" if f.span else f.code.value
                  for f in flags if f.severity.value == "error"]  # fmt: skip
        passed += not errors
        if errors:
            print(f"  correct impression flagged: {w.study_name}/{w.ident} ({w.style}): {errors}")
    latencies.sort()
    print(
        f"\nphysician-written set ({folder}): {len(clean)} correct impressions of "
        f"{len({w.study_name for w in clean})} studies, {passed} with no error flag "
        f"(clean pass rate {100 * passed / len(clean):.1f} %); verify p50 {statistics.median(latencies):.1f} ms, "
        f"p95 {latencies[int(0.95 * len(latencies))]:.1f} ms per impression\n"
    )
    by_type: dict[str, list[bool]] = defaultdict(list)
    misses: dict[str, list[str]] = defaultdict(list)
    for w, kind, text in corrupted:
        severities = ("error", "warning") if kind in WARNING_COUNTS else ("error",)
        new = _codes(text, w.study, severities) - _codes(w.text, w.study, severities)
        by_type[kind].append(bool(new))
        if not new and len(misses[kind]) < show:
            misses[kind].append(f"{w.study_name}/{w.ident}: {_diff(w.text, text)}")
    print(f"{'corruption (physician set)':28} {'n':>5} {'detected':>9} {'recall':>7}")
    for kind, hits in sorted(by_type.items()):
        print(f"{kind:28} {len(hits):5d} {sum(hits):9d} {sum(hits) / len(hits):7.3f}")
        for m in misses[kind]:
            print(f"    missed: {m}")
    total = [h for hits in by_type.values() for h in hits]
    if total:
        print(f"{'all':28} {len(total):5d} {sum(total):9d} {sum(total) / len(total):7.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=Path, default=Path("examples"))
    parser.add_argument("--reps", type=int, default=20, help="corruptions per text and type")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--show-misses", type=int, default=3)
    parser.add_argument("--set", choices=("generated", "physician", "both"), default="both")
    parser.add_argument("--physician-set", type=Path, default=PHYSICIAN_SET)
    args = parser.parse_args()
    if args.set in ("generated", "both"):
        run_generated(args)
    if args.set in ("physician", "both"):
        run_physician_set(args.physician_set, args.show_misses)


def run_generated(args: argparse.Namespace) -> None:
    rng = random.Random(args.seed)
    texts = narratives(args.examples)
    verify(texts[0].text, texts[0].study)  # build the pipeline outside the timings

    clean_errors = 0
    latencies: dict[str, list[float]] = defaultdict(list)
    for n in texts:
        for _ in range(5):
            t0 = time.perf_counter()
            flags = verify(n.text, n.study, scope=n.scope, origin="model")  # type: ignore[arg-type]
            latencies[n.scope].append((time.perf_counter() - t0) * 1000)
        errors = [f for f in flags if f.severity.value == "error"]
        if errors:
            clean_errors += 1
            print(f"  clean text flagged: {n.example}/{n.section}: {[f.code.value for f in errors]}")

    print(
        f"\n{len(texts)} clean narratives from {args.examples}: {clean_errors} with an error flag "
        f"({100 * clean_errors / len(texts):.1f} %)"
    )
    for scope, values in sorted(latencies.items()):
        values.sort()
        p95 = values[min(len(values) - 1, int(0.95 * len(values)))]
        print(f"verify latency ({scope}, n={len(values)}): p50 {statistics.median(values):.1f} ms, p95 {p95:.1f} ms")
    all_values = sorted(v for vs in latencies.values() for v in vs)
    print(
        f"verify latency (all narratives): p50 {statistics.median(all_values):.1f} ms, "
        f"p95 {all_values[int(0.95 * len(all_values))]:.1f} ms\n"
    )

    print(f"{'corruption':28} {'n':>5} {'detected':>9} {'recall':>7}  {'any error':>9}")
    for name, (corrupt, family) in CORRUPTIONS.items():
        total = detected = any_error = 0
        misses: list[str] = []
        codes: Counter[str] = Counter()
        for n in texts:
            seen: set[str] = set()
            for _ in range(args.reps):
                bad = corrupt(n, rng)
                if bad is None or bad == n.text or bad in seen:
                    continue
                seen.add(bad)
                errors = _errors(n, bad)
                total += 1
                codes.update(errors)
                hit = any(code.startswith(family) for code in errors)
                detected += hit
                any_error += bool(errors)
                if not hit and len(misses) < args.show_misses:
                    diff = _diff(n.text, bad)
                    misses.append(f"{n.example}/{n.section}: {diff} -> {errors}")
        recall = detected / total if total else float("nan")
        print(f"{name:28} {total:5d} {detected:9d} {recall:7.3f}  {any_error / total if total else 0:9.3f}")
        for m in misses:
            print(f"    missed: {m}")


def _diff(a: str, b: str) -> str:
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    j = 0
    while j < min(len(a), len(b)) - i and a[-1 - j] == b[-1 - j]:
        j += 1
    return f"{a[i : len(a) - j]!r} => {b[i : len(b) - j]!r}"


if __name__ == "__main__":
    main()
