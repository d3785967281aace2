"""Benchmark: the adaptive placement test against a fixed random form, on simulated officers.

    .venv/bin/python bench/diagnostic.py                      # 2,000 officers, 312-item bank (issue 15)
    .venv/bin/python bench/diagnostic.py --officers 300       # a quick run

Steps (all with the production code: ``assessments.scoring.irt`` and the girth adapter
``assessments.placement.irt_fit``):

1. A bank of 6 areas × 4 competencies × 13 items (312) with generating 2PL parameters
   (a log-normal around 1.7, i.e. about 1.0 in the normal-ogive metric; b normal with sd 1.2).
2. Calibration: 500 simulated respondents per area answer every item of the area by the model; girth fits the
   2PL; we report the correlation of fitted with generating b and a. The adaptive test then uses the FITTED
   parameters while answers keep following the generating ones (as in production).
3. Each officer has a true ability per area (standard normal). The adaptive test runs per area with the
   default rules of a test form (SE target, min/max items, randomesque, exposure ceiling against the exposure
   so far). The fixed form gives each officer, per area, a random set of items of the same length as the
   adaptive average of that area. Both are scored by EAP.
4. Reported per design: items per area, RMSE of θ, share placed exactly / within one level on the 8 levels
   (default cut scores -1.5 … 1.5) and on the 4 bands (cuts -1, 0, 1), the most-exposed item's exposure rate;
   and the time to choose the next item (EAP + selection) over the full bank, p50/p95.
Writes bench/results/diagnostic.md (or --out).
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import random
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assessments.placement import irt_fit  # noqa: E402
from assessments.scoring import irt  # noqa: E402

AREAS = 6
COMPETENCIES = 4
PER_COMPETENCY = 13
LEVELS = [f"L{i}" for i in range(1, 9)]
CUTS_8 = irt.default_cuts(LEVELS)
CUTS_4 = [("B1", irt.THETA_MIN), ("B2", -1.0), ("B3", 0.0), ("B4", 1.0)]
STOP_CUTS = CUTS_4  # the early stop asks for a confident band (the evidence's unit), see --stop-confidence


def make_bank(rng: random.Random, *, a_median: float, b_sd: float) -> dict[int, list[irt.ItemParams]]:
    bank: dict[int, list[irt.ItemParams]] = {}
    n = 0
    for area in range(AREAS):
        items = []
        for comp in range(COMPETENCIES):
            for _ in range(PER_COMPETENCY):
                a = math.exp(rng.gauss(math.log(a_median), 0.25))
                b = max(-3.0, min(3.0, rng.gauss(0.0, b_sd)))
                items.append(irt.ItemParams(id=n, a=a, b=b, competency=(area, comp)))
                n += 1
        bank[area] = items
    return bank


def answer(rng: random.Random, theta: float, item: irt.ItemParams) -> float:
    return 1.0 if rng.random() < irt.p_correct(theta, item.a, item.b) else 0.0


def calibrate(bank, rng, respondents: int):
    fitted: dict[int, list[irt.ItemParams]] = {}
    true_b, fit_b, true_a, fit_a = [], [], [], []
    for area, items in bank.items():
        table = {}
        for p in range(respondents):
            theta = rng.gauss(0, 1)
            table[p] = {item.id: answer(rng, theta, item) for item in items}
        params = irt_fit.fit_2pl(table, [item.id for item in items])
        fitted[area] = [
            irt.ItemParams(id=i.id, a=params[i.id][0], b=params[i.id][1], competency=i.competency) for i in items
        ]
        for i in items:
            true_b.append(i.b)
            fit_b.append(params[i.id][1])
            true_a.append(i.a)
            fit_a.append(params[i.id][0])
    return fitted, statistics.correlation(true_b, fit_b), statistics.correlation(true_a, fit_a)


def run_adaptive(true_bank, fitted_bank, officers, rules, rng):
    truth = {i.id: i for items in true_bank.values() for i in items}
    exposure_counts: dict[int, int] = {}
    estimates, used = [], {area: [] for area in true_bank}
    timings = []
    for n, thetas in enumerate(officers):
        row = []
        for area, items in fitted_bank.items():
            served, responses, counts = [], [], {}
            exposure = {k: v / n for k, v in exposure_counts.items()} if n else {}
            estimate = irt.eap([])
            while True:
                t0 = time.perf_counter()
                item = irt.select_next(
                    theta=estimate.theta,
                    items=items,
                    served=served,
                    competency_counts=counts,
                    exposure=exposure,
                    rules=rules,
                    rng=rng,
                )
                timings.append(time.perf_counter() - t0)
                if item is None:
                    break
                served.append(item.id)
                counts[item.competency] = counts.get(item.competency, 0) + 1
                responses.append(irt.Response(a=item.a, b=item.b, score=answer(rng, thetas[area], truth[item.id])))
                t0 = time.perf_counter()
                estimate = irt.eap(responses)
                timings[-1] += time.perf_counter() - t0
                probability = irt.place_bayes(responses, STOP_CUTS)[1] if rules.stop_confidence else 0.0
                if irt.should_stop(
                    estimate=estimate,
                    served=len(served),
                    rules=rules,
                    remaining=len(items) - len(served),
                    placement_probability=probability,
                ):
                    break
            for item_id in served:
                exposure_counts[item_id] = exposure_counts.get(item_id, 0) + 1
            used[area].append(len(served))
            row.append((estimate.theta, responses))
        estimates.append(row)
    max_exposure = max(exposure_counts.values()) / len(officers)
    return estimates, used, max_exposure, timings


def run_fixed(true_bank, fitted_bank, officers, lengths, rng):
    truth = {i.id: i for items in true_bank.values() for i in items}
    exposure_counts: dict[int, int] = {}
    estimates = []
    for thetas in officers:
        row = []
        for area, items in fitted_bank.items():
            chosen = rng.sample(items, lengths[area])
            for item in chosen:
                exposure_counts[item.id] = exposure_counts.get(item.id, 0) + 1
            responses = [irt.Response(a=i.a, b=i.b, score=answer(rng, thetas[area], truth[i.id])) for i in chosen]
            row.append((irt.eap(responses).theta, responses))
        estimates.append(row)
    return estimates, max(exposure_counts.values()) / len(officers)


def accuracy(officers, estimates, cuts):
    """Exact / within-one shares with the production rule (most probable level under the posterior)."""
    order = [code for code, _ in sorted(cuts, key=lambda c: c[1])]
    exact = within = total = 0
    for thetas, row in zip(officers, estimates, strict=True):
        for true, (_est, responses) in zip(thetas, row, strict=True):
            a = order.index(irt.place(true, cuts))
            b = order.index(irt.place_bayes(responses, cuts)[0])
            exact += a == b
            within += abs(a - b) <= 1
            total += 1
    return exact / total, within / total


def rmse(officers, estimates):
    errs = [(t - e) ** 2 for ts, es in zip(officers, estimates, strict=True) for t, (e, _r) in zip(ts, es, strict=True)]
    return math.sqrt(sum(errs) / len(errs))


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--officers", type=int, default=2000)
    parser.add_argument("--respondents", type=int, default=500, help="calibration responses per item")
    parser.add_argument("--se-target", type=float, default=0.3)
    parser.add_argument("--min-items", type=int, default=4)
    parser.add_argument("--max-items", type=int, default=12)
    parser.add_argument("--randomesque", type=int, default=3)
    parser.add_argument("--max-exposure", type=float, default=0.25)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--stop-confidence", type=float, default=0.0, help="stop once the band is this probable")
    parser.add_argument("--true-params", action="store_true", help="run the tests on the generating parameters")
    parser.add_argument("--a-median", type=float, default=1.7, help="generating discrimination (log-normal median)")
    parser.add_argument("--b-sd", type=float, default=1.2, help="generating difficulty (normal sd, clipped to ±3)")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "diagnostic.md"))
    args = parser.parse_args()
    rng = random.Random(args.seed)
    load_before = os.getloadavg()
    started = time.time()

    true_bank = make_bank(rng, a_median=args.a_median, b_sd=args.b_sd)
    t0 = time.time()
    fitted_bank, r_b, r_a = calibrate(true_bank, rng, args.respondents)
    if args.true_params:  # an upper bound: the engine knows the generating parameters
        fitted_bank = true_bank
    calibration_s = time.time() - t0
    officers = [[rng.gauss(0, 1) for _ in range(AREAS)] for _ in range(args.officers)]
    rules = irt.SectionRules(
        se_target=args.se_target,
        min_items=args.min_items,
        max_items=args.max_items,
        randomesque=args.randomesque,
        max_exposure=args.max_exposure,
        stop_confidence=args.stop_confidence,
    )
    adaptive, used, adaptive_exposure, timings = run_adaptive(true_bank, fitted_bank, officers, rules, rng)
    lengths = {area: max(1, round(statistics.mean(n))) for area, n in used.items()}
    fixed, fixed_exposure = run_fixed(true_bank, fitted_bank, officers, lengths, rng)

    # Selection over the FULL bank (all 312 items in one pool), the worst case a request can meet.
    everything = [i for items in fitted_bank.values() for i in items]
    full_timings = []
    for _ in range(500):
        responses = [irt.Response(a=i.a, b=i.b, score=rng.random() < 0.5) for i in rng.sample(everything, 11)]
        t = time.perf_counter()
        est = irt.eap(responses)
        irt.select_next(theta=est.theta, items=everything, served=[], rules=rules, rng=rng)
        full_timings.append(time.perf_counter() - t)

    mean_items = statistics.mean(n for ns in used.values() for n in ns)
    rows = []
    for name, est, exposure in (
        ("adaptive", adaptive, adaptive_exposure),
        ("fixed random form", fixed, fixed_exposure),
    ):
        exact8, within8 = accuracy(officers, est, CUTS_8)
        exact4, within4 = accuracy(officers, est, CUTS_4)
        rows.append((name, rmse(officers, est), exact8, within8, exact4, within4, exposure))

    load_after = os.getloadavg()
    lines = [
        "# Diagnostic placement benchmark",
        "",
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {os.cpu_count()} CPU(s) shared with other work "
        f"(load average {load_before[0]:.2f} before, {load_after[0]:.2f} after), Python {platform.python_version()}; "
        f"`python bench/diagnostic.py --officers {args.officers} --respondents {args.respondents} "
        f"--se-target {args.se_target} --min-items {args.min_items} --max-items {args.max_items} "
        f"--randomesque {args.randomesque} --max-exposure {args.max_exposure} --seed {args.seed} "
        f"--a-median {args.a_median} --b-sd {args.b_sd} --stop-confidence {args.stop_confidence}`; "
        f"{time.time() - started:.0f} s in all.",
        "",
        f"Bank: {AREAS} areas × {COMPETENCIES} competencies × {PER_COMPETENCY} items = "
        f"{AREAS * COMPETENCIES * PER_COMPETENCY} items; generating a log-normal (median {args.a_median}, sd of log 0.25), "
        f"b normal (sd {args.b_sd}, clipped to ±3).",
        "",
        "## Calibration (girth 2PL MML through assessments/placement/irt_fit.py)",
        "",
        f"{args.respondents} responses per item: correlation of fitted with generating difficulty b = **{r_b:.3f}**, "
        f"discrimination a = **{r_a:.3f}** ({calibration_s:.1f} s for the six areas).",
        "",
        f"## Placement of {args.officers:,} officers (true ability per area ~ N(0, 1))",
        "",
        f"Adaptive: {mean_items:.2f} items per area on average (per area: "
        + ", ".join(f"{statistics.mean(n):.1f}" for n in used.values())
        + f"; max {max(max(n) for n in used.values())}); the fixed form uses the same length per area.",
        "",
        "| design | RMSE θ (logits) | exact level (8) | within one level (8) | exact band (4) | within one band (4) | most-exposed item |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, r, e8, w8, e4, w4, exp in rows:
        lines.append(f"| {name} | {r:.3f} | {e8:.1%} | {w8:.1%} | {e4:.1%} | {w4:.1%} | {exp:.1%} |")
    lines += [
        "",
        "## Time to choose the next item",
        "",
        f"Within an area (EAP + selection, as run above, {len(timings):,} choices): p50 "
        f"{percentile(timings, 0.5) * 1000:.2f} ms, p95 {percentile(timings, 0.95) * 1000:.2f} ms.",
        f"Over the full bank ({len(everything)} items in one pool, 11 answers): p50 "
        f"{percentile(full_timings, 0.5) * 1000:.2f} ms, p95 {percentile(full_timings, 0.95) * 1000:.2f} ms.",
        "",
    ]
    Path(args.out).write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
