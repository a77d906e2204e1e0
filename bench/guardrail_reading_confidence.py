"""Would grading each error flag by how sure its reading is cut false errors on unseen writers? (issue 15)

The experiment, on historical unseen data: every blind physician set from dev4 on, verified by the code of
its FIRST scoring (the main commit its README names, before anyone had read the set), so that its false
errors are those a new writer met and its detections those the verifier of that day made.

- ``history`` checks each of those commits out in a detached worktree of its own, copies the set (and its
  studies) in as untracked files, runs ``dump`` there and writes every flag of every correct and corrupted
  impression into one file (``bench/data/guardrail_history_flags.json``, committed; texts are rebuilt from the
  sets, which never changed after they were added).
- ``analyse`` computes reading-confidence features from the text, the flag's span and its code alone (so they
  apply to any code version) and measures, per set, how many false errors each candidate rule would have
  turned into warnings and how many detections (scored as ``guardrail_corruptions.py`` scores them) it would
  have lost; ``--lowo`` adds a leave-one-writer-out search: a union of rules chosen on the other sets (most
  false errors removed while losing <= 2 % of detections there), measured on the held-out set.

Result (2026-12-06, nine sets, 127 false error flags, 492 detections): no rule qualifies (the bar was >= 30 %
of false errors removed for <= 2 % of detections lost); see ``bench/guardrail_reading_confidence.md``.

    PYTHONPATH=$PWD .venv/bin/python bench/guardrail_reading_confidence.py history --worktree /tmp/wt-old
    PYTHONPATH=$PWD .venv/bin/python bench/guardrail_reading_confidence.py analyse [--lowo]
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLAGS_FILE = ROOT / "bench" / "data" / "guardrail_history_flags.json"
#: set -> (main commit of its first, unseen scoring, as its README names it; commit that added the set).
#: dev7's README says "main after round 5's fixes": 1bcff04 added it on that main. dev8 and dev9 are this
#: session's sets, first scored at the commits that added them.
FIRST_SCORINGS: dict[str, tuple[str, str]] = {
    "dev4": ("904f9d7", "cdf1f95"),
    "test4": ("904f9d7", "f5599f7"),
    "dev5": ("5097981", "26e4fb5"),
    "dev6": ("f7fb6e7", "5f5de61"),
    "test5": ("f7fb6e7", "1bcff04"),
    "test6": ("5f5de61", "22487a9"),
    "dev7": ("1bcff04", "1bcff04"),
    "dev8": ("0d768c6", "0d768c6"),
    "dev9": ("e7f1c17", "e7f1c17"),
}
#: Corruption types whose expected flag is a warning for a physician's text (as in guardrail_corruptions.py).
WARNING_COUNTS = frozenset({"omission", "unsupported_advice"})
MAX_DETECTIONS_LOST = 0.02  # the bar set before measuring: a rule may lose at most 2 % of detections
MIN_FALSE_ERRORS_REMOVED = 0.30  # ... and must remove at least 30 % of false error flags


# ---------------------------------------------------------------- dump (runs under any code version)


def dump(folder: Path) -> list[dict]:
    """Every flag the verifier on the path raises on one physician set: correct impressions, then corruptions."""
    from guardrails import verify
    from reporter.inputs import load_study

    root = folder.parent.parent.parent
    rows: list[dict] = []

    def flags(text: str, study: object) -> list[list]:
        return [
            [f.code.value, f.severity.value, list(f.span) if f.span else None]
            for f in verify(text, study, scope="impression")
        ]

    for path in sorted(folder.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        study = load_study(root / data["study"])
        texts = {item["id"]: item["text"] for item in data["impressions"]}
        for ident, text in texts.items():
            rows.append({"file": path.stem, "id": ident, "flags": flags(text, study)})
        for i, c in enumerate(data["corruptions"]):
            bad = texts[c["of"]].replace(c["find"], c["replace"])
            rows.append({"file": path.stem, "id": c["of"], "corruption": i, "flags": flags(bad, study)})
    return rows


def history(worktree: Path, out: Path) -> None:
    """Run ``dump`` on each set at the commit of its first scoring, in a detached worktree of our own."""
    if not worktree.exists():
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(worktree), "HEAD"], check=True)
    result: dict[str, list[dict]] = {}
    for name, (commit, added) in FIRST_SCORINGS.items():
        subprocess.run(["git", "-C", str(worktree), "clean", "-fdq", "--", "bench/data"], check=True)
        subprocess.run(["git", "-C", str(worktree), "checkout", "-q", "--detach", commit], check=True)
        folder = Path("bench/data") / f"physician_impressions_{name}"
        if not (worktree / folder).exists():  # the set came later than the code that first scored it
            studies = subprocess.run(
                ["git", "-C", str(ROOT), "ls-tree", "--name-only", added, "bench/data/physician_studies/"],
                capture_output=True,
                text=True,
                check=True,
            )
            paths = [p for p in studies.stdout.split() if Path(p).name.startswith(f"{name}_")]
            archive = subprocess.run(
                ["git", "-C", str(ROOT), "archive", added, str(folder), *paths], capture_output=True, check=True
            )
            subprocess.run(["tar", "-x", "-C", str(worktree)], input=archive.stdout, check=True)
        with tempfile.NamedTemporaryFile(suffix=".json") as tmp:
            env = {**os.environ, "PYTHONPATH": str(worktree)}
            subprocess.run([sys.executable, __file__, "dump", str(folder), tmp.name], cwd=worktree, env=env, check=True)
            result[f"{name}@{commit}"] = json.loads(Path(tmp.name).read_text(encoding="utf-8"))
        print(f"{name}@{commit}: {len(result[f'{name}@{commit}'])} texts verified")
    out.write_text(json.dumps(result, separators=(",", ":")) + "\n", encoding="utf-8")


# ---------------------------------------------------------------- features of a reading


#: The words that label each number code's quantity (G111, a number with no label, has none).
LABELS = {
    "G101": r"\b(?:LVEF|EF|ejection fraction)\b",
    "G102": r"\b(?:EDV|ESV|volumes?)\b",
    "G103": r"\b(?:TID|dilat\w*)\b",
    "G104": r"\b(?:SSS|SRS|SDS|summed|scores?)\b",
    "G105": r"\b(?:TPD|myocardium|left ventricle|LV|burden|extent)\b",
    "G106": r"\b(?:MBF|MFR|flows?|reserve|CFR)\b",
    "G107": r"\b(?:calcium|CAC|Agatston)\b",
    "G108": r"\b(?:HR|heart rate|bpm|BP|blood pressure|mmHg)\b",
    "G109": r"\b(?:METs?|MPHR|predicted|Duke|DTS|Bruce|minutes|min)\b",
    "G110": r"\b(?:mCi|MBq|dose)\b",
}
_ANY_LABEL = re.compile("|".join(f"(?P<{code}>{rx})" for code, rx in LABELS.items()))
_CLAUSE_END = re.compile(r"[.;]\s|[.;]$|\n|•|\s[-–—]\s")
_PRIOR = re.compile(
    r"\bprior\b|\bprevious(?:ly)?\b|\bcompar|\bsince\b|\bearlier\b|\bbaseline\b|\b(?:19|20)\d\d\b|\b\d{1,2}/\d{2,4}\b"
    r"|\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\b",
    re.I,
)
_CHANGE = re.compile(
    r"\bthen\b|\bbefore\b|\bvs\.?\b|\bversus\b|\bresolv|\bunchanged\b|\bimproved?\b|\bworse|\bnew\b"
    r"|\bfrom\b|→|->",
    re.I,
)
_HEDGE = re.compile(
    r"\bposs|\bprobabl|\bmay\b|\bmight\b|\blikely\b|\bunlikely\b|\bcannot\b|\bcan't\b|\bexclude|\bversus\b|\bvs\.?\b"
    r"|\bdifferential\b|\beither\b|\bequivocal\b|\bquestion|\?|\bcould\b|\bquery\b|\buncertain|\brather than\b",
    re.I,
)
_SOFT = re.compile(r"\bsuggest|\bconsider|\bfavou?r|\bapparent|\bin keeping\b|\bcompatible\b|\bborderline\b", re.I)
_OR_LIST = re.compile(r"\w+ or \w+", re.I)
_VERB = re.compile(
    r"\b(?:is|are|was|were|be|been|being|has|have|had|shows?|showed|shown|demonstrat\w*|reveal\w*|suggest\w*"
    r"|indicat\w*|appear\w*|seen|noted|identified|present|remains?|fell|falls|rose|rises|reached|achieved"
    r"|exercised|stopped|developed|increased|decreased|improved|resolved|measur\w*|recommended|consistent"
    r"|involv\w*|extend\w*|affect\w*|argu\w*|favou?r\w*)\b",
    re.I,
)
#: Category codes and the words their category is about: the category word should stand near one of them.
TOPIC = {
    "G301": r"defect|perfusion|hypoperfusion|ischemi|ischaemi|scar|infarct|reduction|uptake|activity",
    "G302": r"defect|perfusion|hypoperfusion|ischemi|ischaemi|scar|infarct|reduction|uptake|activity|region|area",
    "G303": r"defect|perfusion|hypoperfusion|ischemi|ischaemi|scar|infarct|reduction|uptake|activity",
    "G304": r"LVEF|\bEF\b|function|ejection|systolic",
    "G801": r"risk",
    "G602": r"perfusion|study|scan|\bMPI\b|SPECT|\bPET\b|imaging|images",
}


def clause(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """[start, end) of the clause around the span's start: between '.', ';', a line break or a bullet."""
    start = 0
    for m in _CLAUSE_END.finditer(text):
        if m.end() <= span[0]:
            start = m.end()
        else:
            return start, max(m.start(), span[0])
    return start, len(text)


def label_distance(text: str, span: tuple[int, int], code: str) -> tuple[int | None, bool]:
    """Characters from the last label of the code's quantity before the span (0 inside it, None if the clause
    has none), and whether another quantity's label stands after that label."""
    start, _ = clause(text, span)
    before = text[start : span[0]]
    if re.search(LABELS[code], text[span[0] : span[1]], re.I):
        return 0, False
    own = [m.end() for m in re.finditer(LABELS[code], before, re.I)]
    last = max(own) if own else -1
    other = any(m.lastgroup != code and m.end() > last for m in _ANY_LABEL.finditer(before))
    return (len(before) - last if own else None), other


def features(text: str, span: tuple[int, int] | None, code: str) -> frozenset[str]:
    """Named reading-confidence features of one flag (a flag without a span, a missing finding, has none)."""
    if span is None:
        return frozenset()
    start, end = clause(text, span)
    words = text[start:end]
    out = set()
    if code in LABELS:
        distance, other = label_distance(text, span, code)
        out |= {f"far_label>{d}" for d in (20, 40, 80) if distance is None or distance > d}
        if other:
            out.add("other_label_nearer")
    if code == "G111":
        out.add("unattached_number")
    out |= {f"clause>{n}w" for n in (20, 30, 45) if len(words.split()) > n}
    if span[1] - span[0] > 80:
        out.add("span>80c")
    if not _VERB.search(words):
        out.add("no_verb")
    if _PRIOR.search(words):
        out |= {"prior_strict", "prior_broad"}
    elif _CHANGE.search(words):
        out.add("prior_broad")
    if _HEDGE.search(words):
        out |= {"hedge_strict", "hedge_broad"}
    elif _SOFT.search(words) or re.search(r"\bor\b", words, re.I):
        out.add("hedge_broad")
    if _OR_LIST.search(words):
        out.add("or_list")
    if code in TOPIC:
        for width in (20, 40):
            window = text[max(start, span[0] - width) : min(end, span[1] + width)]
            if not re.search(TOPIC[code], window, re.I):
                out.add(f"offtopic{width}")
    return frozenset(out)


#: The candidate rules, each as the brief of the experiment phrased it, fixed before any measurement.
Rule = Callable[[str, frozenset[str]], bool]
RULES: dict[str, Rule] = {
    "R1 number far from its label, or another label nearer (G101-G110)": lambda c, fs: (
        c in LABELS and ("far_label>40" in fs or "other_label_nearer" in fs)
    ),
    "R1b number with no label at all (G111)": lambda c, fs: "unattached_number" in fs,
    "R2 clause the parser did not split (>30 words, or a span >80 chars)": lambda c, fs: (
        "clause>30w" in fs or "span>80c" in fs
    ),
    "R3 clause with no verb": lambda c, fs: "no_verb" in fs,
    "R4 clause naming a prior study or a date (not G7xx/G112)": lambda c, fs: (
        "prior_strict" in fs and not c.startswith(("G7", "G112"))
    ),
    "R5 category word with no word of its category near (G301-G304, G602, G801)": lambda c, fs: "offtopic20" in fs,
    "R6 evidence in a hedge or a list of differentials (G2xx-G4xx, G6xx)": lambda c, fs: (
        c[:2] in ("G2", "G3", "G4", "G6") and ("hedge_strict" in fs or "or_list" in fs)
    ),
}
_SINGLE = dict(RULES)
RULES["union of R1-R6"] = lambda c, fs: any(rule(c, fs) for rule in _SINGLE.values())
RULES["union of R1, R1b, R2, R4, R5, R6 (all but R3)"] = lambda c, fs: any(
    rule(c, fs) for name, rule in _SINGLE.items() if not name.startswith("R3")
)


# ---------------------------------------------------------------- scoring, as guardrail_corruptions.py scores


@dataclass(frozen=True)
class Flag:
    code: str
    severity: str  # error, warning or info (info never counts, as in guardrail_corruptions.py)
    features: frozenset[str]

    @property
    def error(self) -> bool:
        return self.severity == "error"


@dataclass(frozen=True)
class Scoring:
    """One set at the commit of its first scoring: flags (by index) of each correct and corrupted text."""

    name: str
    flags: list[Flag]
    correct: list[list[int]]
    corrupted: list[tuple[list[int], list[int], bool]]  # (its flags, its correct text's flags, warnings count)


@dataclass(frozen=True)
class Outcome:
    false_errors: int
    removed: int
    clean_before: int
    clean_after: int
    impressions: int
    detections_before: int
    detections_after: int

    def __add__(self, other: Outcome) -> Outcome:
        return Outcome(*(a + b for a, b in zip(vars(self).values(), vars(other).values(), strict=True)))


def load_scorings(path: Path = FLAGS_FILE) -> list[Scoring]:
    data = json.loads(path.read_text(encoding="utf-8"))
    out = []
    for key, rows in data.items():
        folder = ROOT / "bench" / "data" / f"physician_impressions_{key.split('@')[0]}"
        sets = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in folder.glob("*.json")}
        flags: list[Flag] = []
        correct: dict[tuple[str, str], list[int]] = {}
        corrupted = []
        for row in rows:
            items = sets[row["file"]]
            text = next(i["text"] for i in items["impressions"] if i["id"] == row["id"])
            kind = None
            if "corruption" in row:
                c = items["corruptions"][row["corruption"]]
                text, kind = text.replace(c["find"], c["replace"]), c["type"]
            ids = []
            for code, severity, span in row["flags"]:
                ids.append(len(flags))
                reading = features(text, tuple(span) if span else None, code) if severity == "error" else frozenset()
                flags.append(Flag(code, severity, reading))
            if kind is None:
                correct[(row["file"], row["id"])] = ids
            else:
                corrupted.append((ids, correct[(row["file"], row["id"])], kind in WARNING_COUNTS))
        out.append(Scoring(key, flags, list(correct.values()), corrupted))
    return out


def outcome(s: Scoring, downgraded: Iterable[int] = ()) -> Outcome:
    """False errors on the correct texts and detections (a code the correct text does not raise) once the
    flags ``downgraded`` are warnings."""
    down = set(downgraded)

    def codes(ids: list[int], warnings_count: bool, without: set[int]) -> Counter[str]:
        counted = ("error", "warning") if warnings_count else ("error",)
        return Counter(
            f.code for i in ids for f in [s.flags[i]] if f.severity in counted and (warnings_count or i not in without)
        )

    def detected(without: set[int]) -> int:
        return sum(bool(codes(ids, w, without) - codes(base, w, without)) for ids, base, w in s.corrupted)

    errors = [[i for i in ids if s.flags[i].error] for ids in s.correct]
    return Outcome(
        false_errors=sum(len(e) for e in errors),
        removed=sum(i in down for e in errors for i in e),
        clean_before=sum(not e for e in errors),
        clean_after=sum(all(i in down for i in e) for e in errors),
        impressions=len(errors),
        detections_before=detected(set()),
        detections_after=detected(down),
    )


def matching(s: Scoring, rule: Rule) -> set[int]:
    return {i for i, f in enumerate(s.flags) if f.error and rule(f.code, f.features)}


def describe(o: Outcome) -> str:
    lost = o.detections_before - o.detections_after
    return (
        f"false errors {o.removed}/{o.false_errors} -> warning ({100 * o.removed / max(o.false_errors, 1):.0f} %), "
        f"clean {o.clean_before}->{o.clean_after}/{o.impressions}, detections {o.detections_before}->"
        f"{o.detections_after} (lost {lost}, {100 * lost / max(o.detections_before, 1):.1f} %)"
    )


# ---------------------------------------------------------------- leave-one-writer-out search

#: Code families a rule may be restricted to.
FAMILIES = ("G1", "G2", "G3", "G4", "G6", "G7", "G8", "G")


def atoms(scorings: list[Scoring]) -> list[tuple[str, tuple[str, ...]]]:
    """Rules of the search: a code family with one feature or two together."""
    names = sorted({x for s in scorings for f in s.flags for x in f.features})
    return [(fam, conj) for fam in FAMILIES for k in (1, 2) for conj in itertools.combinations(names, k)]


def atom_rule(atom: tuple[str, tuple[str, ...]]) -> Rule:
    family, conj = atom
    return lambda c, fs: c.startswith(family) and set(conj) <= fs


def choose(train: list[Scoring], candidates: list[tuple[str, tuple[str, ...]]]) -> list[tuple[str, tuple[str, ...]]]:
    """Greedy union: add the rule that turns most training false errors into warnings while the union loses
    at most MAX_DETECTIONS_LOST of the training detections; stop when none does."""
    chosen: list[tuple[str, tuple[str, ...]]] = []
    down = {s.name: set() for s in train}
    hits = {a: {s.name: matching(s, atom_rule(a)) for s in train} for a in candidates}
    while True:
        best = None
        for a in candidates:
            if a in chosen:
                continue
            trial = {n: down[n] | hits[a][n] for n in down}
            total = sum((outcome(s, trial[s.name]) for s in train), Outcome(0, 0, 0, 0, 0, 0, 0))
            gain = total.removed - sum(outcome(s, down[s.name]).removed for s in train)
            lost = total.detections_before - total.detections_after
            if gain > 0 and lost <= MAX_DETECTIONS_LOST * total.detections_before and (best is None or gain > best[0]):
                best = (gain, a, trial)
        if best is None:
            return chosen
        chosen.append(best[1])
        down = best[2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    d = sub.add_parser("dump", help="flags of the verifier on the path for one set (run inside an old checkout)")
    d.add_argument("folder", type=Path)
    d.add_argument("out", type=Path)
    h = sub.add_parser("history", help="dump every set at the commit of its first scoring")
    h.add_argument("--worktree", type=Path, required=True, help="a detached worktree of your own (created if absent)")
    h.add_argument("--out", type=Path, default=FLAGS_FILE)
    a = sub.add_parser("analyse", help="per-set table of the candidate rules (and --lowo)")
    a.add_argument("--flags", type=Path, default=FLAGS_FILE)
    a.add_argument("--lowo", action="store_true", help="leave-one-writer-out rule search (a few minutes)")
    args = parser.parse_args()
    if args.command == "dump":
        args.out.write_text(json.dumps(dump(args.folder)), encoding="utf-8")
    elif args.command == "history":
        history(args.worktree, args.out)
    else:
        analyse(load_scorings(args.flags), args.lowo)


def analyse(scorings: list[Scoring], lowo: bool) -> None:
    empty = Outcome(0, 0, 0, 0, 0, 0, 0)
    print("| set@first scoring | false error flags | correct impressions clean | detections |\n|---|---|---|---|")
    for s in scorings:
        o = outcome(s)
        print(f"| {s.name} | {o.false_errors} | {o.clean_before}/{o.impressions} | {o.detections_before} |")
    for name, rule in RULES.items():
        per = [(s.name, outcome(s, matching(s, rule))) for s in scorings]
        print(f"\n{name}\n  all sets: {describe(sum((o for _, o in per), empty))}")
        print(
            "  "
            + "; ".join(
                f"{n.split('@')[0]} {o.removed}/{o.false_errors} FE, -{o.detections_before - o.detections_after} det"
                for n, o in per
            )
        )
    if not lowo:
        return
    candidates = atoms(scorings)
    held_total = empty
    for held in scorings:
        train = [s for s in scorings if s is not held]
        useful = [a for a in candidates if any(matching(s, atom_rule(a)) for s in train)]
        chosen = choose(train, useful)
        rules = [atom_rule(a) for a in chosen]
        down = {
            s.name: {i for i, f in enumerate(s.flags) if f.error and any(r(f.code, f.features) for r in rules)}
            for s in scorings
        }
        train_o = sum((outcome(s, down[s.name]) for s in train), empty)
        held_o = outcome(held, down[held.name])
        held_total = held_total + held_o
        print(f"\nheld out {held.name}: {len(chosen)} rules {chosen}")
        print(f"  train: {describe(train_o)}\n  held:  {describe(held_o)}")
    qualifies = (
        held_total.removed >= MIN_FALSE_ERRORS_REMOVED * held_total.false_errors
        and held_total.detections_before - held_total.detections_after
        <= MAX_DETECTIONS_LOST * held_total.detections_before
    )
    print(f"\nleave-one-writer-out, summed over the held-out sets: {describe(held_total)}; qualifies: {qualifies}")


if __name__ == "__main__":
    main()
