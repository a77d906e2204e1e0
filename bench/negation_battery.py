"""Polarity flips in physicians' words: false errors on correct impressions and detection of a flipped claim.

A physician's polarity is carried by many kinds of words: a negation ("no", "not", "without"), an antonym
("rises"/"falls", "reversible"/"fixed", "larger"/"smaller"), a verdict word that is a topic's value ("PERFUSION:
abnormal", "Perf nl", "MFR abnl"), a verb of reversal ("normalizes", "does not recover"), a sign ("ECG+",
"positive test"). The battery (``bench/data/negation_battery.json``) was written by the neg35 helper after reading
the guardrails' code (development material, not an unseen measure): correct impressions of the earlier physician
sets (not dev17's nor test14's), and single edits of each that flip one claim's polarity, by claim family
(perfusion verdict, ischemia, scar, reversibility, TID, ECG response, symptoms, LV function, flow reserve, calcium,
comparison). Each impression is verified alone (``scope="full"``) as a physician's text. A correct impression with
any error flag is a false error; a flip is detected when it raises an error flag (any code) that the correct
impression does not raise (bench/edit_battery.py).

Written during branch neg35, after its first fixes (verdicts as a topic's value, recovery words, the dominant part)
and before the others (61 flips of 25 correct impressions of 9 studies). Before all of them (main
fd91e7c): 25 of 25 correct impressions clean, 41 of 61 flips detected (0.672; none of the five verdicts that are a
topic's value, "Perfusion nl" -> "abnl", "PERFUSION: abnormal." -> "normal."; nor "MFR abnl" -> "nl", "EF rises
with stress" -> "falls", "(blunted reserve)" -> "(normal reserve)", "predominantly fixed" -> "predominantly
reversible", "in keeping with an established infarct" -> "not in keeping with ..."). After: 25 of 25, 53 of 61
(0.869). Left: a TID named with its ratio ("and TID (1.06)", read as the ratio's label) and in a run-on without
punctuation; a "no" of a run-on that reaches the next clause ("no chest pain ECG showed ischemic changes"); LV
function in plain words ("her heart pumps poorly", "abnl WM"); a pronoun's reversibility ("It is now reversible");
"worsening" against a prior trend the rules call mixed; ischemia said where the study's is below the SDS threshold
(a warning, by design).

Round 2 (``"round": 2``, written by the neg44 helper in round 15, in new wordings on six released studies: a letter
to the patient, non-native English, bullets, templated headings, a dictated run-on, terse signs): 11 correct
statements and 53 flips by topic (symptoms, ECG response, arrhythmias, ischaemia, scar, reversibility, TID, LV
function, advice; an advice flip is detected by a new warning, as in the physician sets). Before neg44 (main 0df42c3):
10 of 11 clean ("The patient don't have chest pain": G410; "ECG not show ischemia": G601), 27 of 53 detected; round 1
54 of 61. After (one denial vocabulary for every topic, ``guardrails/resources/denial.json``; a denied arrhythmia
checked; TID in a verb or beside its ratio; the ECG's own predicate): 11 of 11, 38 of 53; round 1 55 of 61 (the
run-on "no chest pain ECG showed ischemic changes"). Left: an arrhythmia's resolution ("a Mobitz I block that did not
settle"), the ECG in ST words or signs ("ST segments depressed", "ECG -:", "the leads did not change"), plain-language
findings ("no sign of a blockage", "no damaged muscle", "the heart does not pump normally"), advice the rules do not
judge (a test advised on a normal study), an opinion's hedge ("which we think is significant").

    PYTHONPATH=$PWD python bench/negation_battery.py [--show-misses 20]
"""

from __future__ import annotations

from pathlib import Path

from edit_battery import main  # bench/edit_battery.py: the scoring shared by the single-edit batteries

BATTERY = Path(__file__).parent / "data" / "negation_battery.json"


if __name__ == "__main__":
    main(BATTERY, __doc__.splitlines()[0])
