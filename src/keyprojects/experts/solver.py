"""The assignment of experts to applications as a min-cost flow (OR-tools), on plain data.

    source ─(need of the application)→ application ─(1, eligible pairs only)→ expert
           ─(1 per unit of load, convex cost)→ sink

An arc application→expert exists only when the expert reviews the application's category,
the pair is not forbidden (a conflict of interest, or already assigned) and the expert is
under the load limit, so no flow can break those rules. The expert→sink arcs carry one unit
each, the j-th costing 2j−1 (times a weight), so a flow's load cost is Σ load², which is
least when loads are as even as the eligibility allows. A small pseudo-random cost on each
application→expert arc (from the seed and the two ids, hence repeatable) breaks ties so that
experts do not always sit together on the same applications; the load weight is chosen so
that no tie-break can ever outweigh one unit of load imbalance.

Maximum flow with minimum cost: when the needs cannot all be met, the flow still shows how
far they can be, and the shortfalls say why (per category and per application).
"""

import dataclasses
import time
import zlib
from collections import defaultdict

import numpy as np
from ortools.graph.python import min_cost_flow

TIE_BREAK_MAX = 15


@dataclasses.dataclass(frozen=True)
class Need:
    """An application still needing `count` experts of `category`."""

    application: str
    category: str
    count: int


@dataclasses.dataclass(frozen=True)
class Reviewer:
    """An expert of the pool, with the load they already carry in this call."""

    expert: str
    categories: frozenset
    load: int = 0


@dataclasses.dataclass(frozen=True)
class Problem:
    needs: tuple
    reviewers: tuple
    max_load: int
    forbidden: frozenset = frozenset()  # {(expert, application)}
    seed: int = 0


@dataclasses.dataclass(frozen=True)
class CategoryShortfall:
    category: str
    applications: int
    needed: int
    experts: int
    capacity: int


@dataclasses.dataclass(frozen=True)
class ApplicationShortfall:
    application: str
    eligible: int
    needed: int


@dataclasses.dataclass
class Solution:
    feasible: bool
    pairs: list  # [(application, expert)], sorted
    needed: int
    assigned: int
    objective: int  # the flow's cost (load term × weight + tie-breaks)
    load_squares: int  # Σ load² over the experts, including the loads they carried before
    loads: dict  # expert → load after the assignment (only experts of the problem)
    category_shortfalls: list
    application_shortfalls: list  # fewer eligible experts than needed: certain
    short_in_best: list  # [(application, got, needed)] in the best partial flow
    build_seconds: float
    solve_seconds: float


def eligible_experts(problem: Problem) -> dict:
    """{application: [expert ids]} of the pairs that may be assigned, in a fixed order."""
    by_category = defaultdict(list)
    for reviewer in sorted(problem.reviewers, key=lambda r: r.expert):
        if reviewer.load < problem.max_load:
            for category in reviewer.categories:
                by_category[category].append(reviewer.expert)
    return {
        need.application: [
            expert
            for expert in by_category.get(need.category, [])
            if (expert, need.application) not in problem.forbidden
        ]
        for need in problem.needs
    }


def shortfalls(problem: Problem, eligible: dict) -> tuple[list, list]:
    """What makes the problem infeasible for certain: a category whose experts cannot carry
    its applications, and applications with fewer eligible experts than they need."""
    applications = [n for n in problem.needs if n.count > 0]
    per_application = [
        ApplicationShortfall(n.application, len(eligible[n.application]), n.count)
        for n in applications
        if len(eligible[n.application]) < n.count
    ]
    per_category = []
    for category in sorted({n.category for n in applications}):
        in_category = [n for n in applications if n.category == category]
        experts = [
            r for r in problem.reviewers if category in r.categories and r.load < problem.max_load
        ]
        # An expert can carry at most one of each application and no more than the limit.
        capacity = sum(min(problem.max_load - r.load, len(in_category)) for r in experts)
        needed = sum(n.count for n in in_category)
        if capacity < needed:
            per_category.append(
                CategoryShortfall(category, len(in_category), needed, len(experts), capacity)
            )
    return per_category, per_application


def tie_break(seed: int, application: str, expert: str) -> int:
    return zlib.crc32(f"{seed}:{application}:{expert}".encode()) % (TIE_BREAK_MAX + 1)


def solve(problem: Problem) -> Solution:
    """Assign experts to every need; deterministic for the same problem."""
    started = time.perf_counter()
    needs = sorted((n for n in problem.needs if n.count > 0), key=lambda n: n.application)
    reviewers = sorted(problem.reviewers, key=lambda r: r.expert)
    eligible = eligible_experts(problem)
    category_short, application_short = shortfalls(problem, eligible)
    needed = sum(n.count for n in needs)

    expert_node = {r.expert: 1 + len(needs) + i for i, r in enumerate(reviewers)}
    source, sink = 0, 1 + len(needs) + len(reviewers)
    tails, heads, capacities, costs = [], [], [], []

    def arc(tail, head, capacity, cost):
        tails.append(tail)
        heads.append(head)
        capacities.append(capacity)
        costs.append(cost)

    pair_arcs = []  # (arc index, application, expert)
    for i, need in enumerate(needs, start=1):
        arc(source, i, need.count, 0)
        for expert in eligible[need.application]:
            pair_arcs.append((len(tails), need.application, expert))
            arc(i, expert_node[expert], 1, tie_break(problem.seed, need.application, expert))
    # One unit of load imbalance must cost more than every tie-break together.
    weight = TIE_BREAK_MAX * needed + 1
    for reviewer in reviewers:
        for j in range(reviewer.load + 1, problem.max_load + 1):
            arc(expert_node[reviewer.expert], sink, 1, weight * (2 * j - 1))

    flow = min_cost_flow.SimpleMinCostFlow()
    if tails:
        flow.add_arcs_with_capacity_and_unit_cost(
            np.array(tails, dtype=np.int32),
            np.array(heads, dtype=np.int32),
            np.array(capacities, dtype=np.int64),
            np.array(costs, dtype=np.int64),
        )
        # Offer all that is needed; max flow with min cost delivers as much as it can.
        flow.set_node_supply(source, needed)
        flow.set_node_supply(sink, -needed)
    built = time.perf_counter()
    pairs, objective = [], 0
    if pair_arcs:
        status = flow.solve_max_flow_with_min_cost()
        if status != flow.OPTIMAL:
            raise RuntimeError(f"min cost flow failed: {status}")
        objective = flow.optimal_cost()
        flows = flow.flows(np.array([a for a, _, _ in pair_arcs], dtype=np.int32))
        pairs = sorted(
            (application, expert)
            for (_, application, expert), f in zip(pair_arcs, flows, strict=True)
            if f > 0
        )
    solved = time.perf_counter()
    return Solution(
        **_solution(needs, reviewers, pairs, objective, started, built, solved),
        category_shortfalls=category_short,
        application_shortfalls=application_short,
    )


def _solution(needs, reviewers, pairs, objective, started, built, solved):
    """The Solution's fields but the certain shortfalls (returned as a dict to merge)."""
    got = defaultdict(int)
    loads = {r.expert: r.load for r in reviewers}
    for application, expert in pairs:
        got[application] += 1
        loads[expert] += 1
    needed = sum(n.count for n in needs)
    return {
        "feasible": len(pairs) == needed,
        "pairs": pairs,
        "needed": needed,
        "assigned": len(pairs),
        "objective": objective,
        "load_squares": sum(load * load for load in loads.values()),
        "loads": loads,
        "short_in_best": [
            (n.application, got[n.application], n.count)
            for n in needs
            if got[n.application] < n.count
        ],
        "build_seconds": built - started,
        "solve_seconds": solved - built,
    }
