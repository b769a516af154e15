"""Time the expert assignment at province scale: 2,000 applications × 500 experts × k = 5.

Runs on its own: `.venv/bin/python bench/bench_assignment.py [--applications N] [--experts M]`.
It builds the problem in memory (no database) with realistic conflicts: the 13 prefecture
cities (an expert shares the applicant's city about 1 time in 13), a few experts working for
an applicant or a partner, and a few declared conflicts; then it runs the same pure
functions the product runs (conflicts.conflicted_pairs, solver.solve), checks the result
against the rules, and prints a table.
"""

import argparse
import os
import random
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "keyprojects.settings")

import django  # noqa: E402

django.setup()

from keyprojects.experts.conflicts import (  # noqa: E402
    ApplicationFacts,
    Declarations,
    ExpertFacts,
    conflicted_pairs,
)
from keyprojects.experts.solver import Need, Problem, Reviewer, solve  # noqa: E402

CITIES = [f"32{n:02d}00" for n in [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]]
# Share of applications per category (数字治理 leads, as in the 2020 call).
CATEGORIES = {
    "digital_governance": 0.4,
    "digital_economy": 0.3,
    "digital_infrastructure": 0.2,
    "cybersecurity": 0.1,
}


def build(n_applications, n_experts, rng):
    codes = [f"ORG{i:05d}" for i in range(n_applications)]
    categories, weights = list(CATEGORIES), list(CATEGORIES.values())
    applications = [
        ApplicationFacts(
            id=f"A{i:05d}",
            category=rng.choices(categories, weights)[0],
            applicant_code=codes[i],
            # About a third are cooperative projects, with one or two partners.
            partner_codes=frozenset(
                f"PARTNER{rng.randrange(3000):05d}"
                for _ in range(rng.choice([0, 0, 0, 0, 1, 1, 2]))
            ),
            city=rng.choice(CITIES),
        )
        for i in range(n_applications)
    ]
    experts = []
    for j in range(n_experts):
        # Experts cover categories in proportion to the applications; a third cover two.
        covered = set(rng.choices(categories, weights, k=rng.choice([1, 1, 2])))
        employer = (
            rng.choice(codes)  # ~2% work for an applicant organisation
            if rng.random() < 0.02
            else f"PARTNER{rng.randrange(3000):05d}"  # some for a partner
            if rng.random() < 0.03
            else f"UNI{j:05d}"
        )
        experts.append(ExpertFacts(f"E{j:04d}", employer, rng.choice(CITIES), frozenset(covered)))
    declared = Declarations()
    for _ in range(n_experts // 10):  # a few declared conflicts, half by organisation
        expert = rng.choice(experts).id
        if rng.random() < 0.5:
            declared.add(expert, "专家申报回避", application_id=rng.choice(applications).id)
        else:
            declared.add(expert, "专家申报回避", credit_code=rng.choice(codes))
    return applications, experts, declared


def check(solution, applications, experts, conflicted, k, max_load):
    """The rules, re-checked on the result: no conflict, right category, load limit, k each."""
    category = {a.id: a.category for a in applications}
    covers = {e.id: e.categories for e in experts}
    assert all((e, a) not in conflicted for a, e in solution.pairs), "conflicted pair"
    assert all(category[a] in covers[e] for a, e in solution.pairs), "wrong category"
    assert max(Counter(e for _, e in solution.pairs).values()) <= max_load, "load limit"
    if solution.feasible:
        assert set(Counter(a for a, _ in solution.pairs).values()) == {k}, "not k each"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", type=int, default=2000)
    parser.add_argument("--experts", type=int, default=500)
    parser.add_argument("-k", type=int, default=5)
    parser.add_argument("--max-load", type=int, default=30)
    parser.add_argument("--seed", type=int, default=2020)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    started = time.perf_counter()
    applications, experts, declared = build(args.applications, args.experts, rng)
    conflicted = conflicted_pairs(experts, applications, declared)
    problem = Problem(
        needs=tuple(Need(a.id, a.category, args.k) for a in applications),
        reviewers=tuple(Reviewer(e.id, e.categories) for e in experts),
        max_load=args.max_load,
        forbidden=frozenset(conflicted),
    )
    prepared = time.perf_counter()
    solution = solve(problem)
    total = time.perf_counter() - started
    check(solution, applications, experts, conflicted, args.k, args.max_load)
    repeat = solve(problem)

    pairs = args.applications * args.experts
    loads = list(solution.loads.values())
    rows = [
        ("applications × experts × k", f"{args.applications} × {args.experts} × {args.k}"),
        ("load limit L", args.max_load),
        ("conflicted pairs", f"{len(conflicted)} ({len(conflicted) / pairs:.1%} of all pairs)"),
        ("facts + conflicts (s)", f"{prepared - started:.2f}"),
        ("build network (s)", f"{solution.build_seconds:.2f}"),
        ("solve min-cost flow (s)", f"{solution.solve_seconds:.2f}"),
        ("total (s)", f"{total:.2f}"),
        ("feasible", solution.feasible),
        ("assigned / needed", f"{solution.assigned} / {solution.needed}"),
        ("objective (flow cost)", solution.objective),
        ("Σ load²", solution.load_squares),
        ("min / max load", f"{min(loads)} / {max(loads)}"),
        ("repeatable (same pairs twice)", repeat.pairs == solution.pairs),
    ]
    width = max(len(label) for label, _ in rows)
    print(f"{'measure':<{width}}  value")
    print(f"{'-' * width}  {'-' * 30}")
    for label, value in rows:
        print(f"{label:<{width}}  {value}")


if __name__ == "__main__":
    main()
