"""Comparison statements against the prior: detection per corruption kind and false errors on correct ones.

The battery (``bench/data/prior_attribution_battery.json``) was written by the guard19 helper AFTER reading
the guardrails' code: it is development material for the comparison checks, not an unseen measure (the blind
sets of ``bench/data/physician_impressions_*`` are). For 14 of the 31 studies with a prior (examples and
``bench/data/physician_studies``; a prior given as measurements or as a prior report's defects) it holds
correct comparison statements in seven styles (comparison-led, dated, "since the last study", British
understatement, terse shorthand with arrows, a GP letter in plain words, hedged academic) and single-edit
corruptions (find/replace) of them, by kind:

- ``said_new``: a finding that persists called new ("unchanged in size and severity" -> "new since that study")
- ``said_resolved``: a finding that persists called resolved or gone
- ``said_persists``: a resolved or new finding called unchanged, persisting, still present or the same
- ``said_present_before``: a new finding said to be already present on the prior (or the prior given it)
- ``said_unchanged``: a finding that changed called unchanged, or no more extensive
- ``wrong_direction``: better for worse, worse for unchanged, or the reverse
- ``prior_territory``: the prior's defect placed in another territory or wall
- ``prior_grade``: the prior's defect given another kind (fixed for reversible, scar for ischemia)

Round 1 (14 studies, 52 statements, 90 corruptions) was written before any fix: 80.8 % clean, recall 0.522
(prior_grade 0.100, prior_territory 0.533, said_present_before 0.273, said_persists 0.500); after the fixes of
guardrails/attribution.py (check ``guardrails.attribution.v1``) and the prior regions of guardrails/claims.py:
100 % clean, recall 0.978. Round 2 (11 statements on 9 further studies, 21 corruptions, other wordings) was
written by the same helper after those fixes, as a second look: 9 of 11 clean, 17 of 21 detected at its first
run; 11 of 11, 21 of 21 after the fixes it led to (a dated finding "of October 2024" and "the 2023 study was
normal" as the prior's; "too", "also seen", "vanished", "has extended", "has receded"). Neither round is an
unseen measure.

Each statement is verified alone (``scope="full"``: only what it says is checked), as a physician's text. A
corruption is detected when it raises an error flag whose code the correct statement does not raise, of the
families that can say it: G2xx (location), G3xx (grade), G4xx (a finding that is absent), G6xx (a negation
or verdict flipped), G7xx (the comparison). A correct statement with any error flag is a false error.

    PYTHONPATH=$PWD python bench/prior_attribution_battery.py [--show-misses 20]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from edit_battery import run  # bench/edit_battery.py: the scoring shared by the single-edit batteries

BATTERY = Path(__file__).parent / "data" / "prior_attribution_battery.json"
#: the flag families that can say a comparison is wrong (numbers, omissions and risk cannot)
FAMILIES = ("G2", "G3", "G4", "G6", "G7")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--battery", type=Path, default=BATTERY)
    parser.add_argument("--show-misses", type=int, default=20)
    parser.add_argument("--round", type=int, choices=(1, 2), default=None, help="one round only (default: both)")
    args = parser.parse_args()
    run(args.battery, args.show_misses, families=FAMILIES, round_=args.round)


if __name__ == "__main__":
    main()
