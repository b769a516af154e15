"""The assignment solver on plain data: its guarantees hold on any problem (hypothesis), it
is repeatable, it evens loads, and an impossible problem is explained."""

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from keyprojects.experts.solver import Need, Problem, Reviewer, solve

CATEGORIES = ["a", "b", "c"]


@st.composite
def problems(draw):
    n_apps = draw(st.integers(0, 12))
    n_experts = draw(st.integers(0, 12))
    k = draw(st.integers(1, 4))
    max_load = draw(st.integers(1, 6))
    needs = tuple(Need(f"app{i:02d}", draw(st.sampled_from(CATEGORIES)), k) for i in range(n_apps))
    reviewers = tuple(
        Reviewer(
            f"exp{j:02d}",
            frozenset(draw(st.sets(st.sampled_from(CATEGORIES), min_size=1))),
            draw(st.integers(0, max_load)),
        )
        for j in range(n_experts)
    )
    pairs = [(r.expert, n.application) for r in reviewers for n in needs]
    forbidden = frozenset(p for p in pairs if draw(st.booleans()) and draw(st.booleans()))
    return Problem(needs, reviewers, max_load, forbidden, seed=draw(st.integers(0, 3)))


def max_flow_oracle(problem) -> int:
    """How many reviews can be placed at most: a plain augmenting-path max flow (BFS),
    written here independently of OR-tools, on the same rules."""
    graph = {}

    def add(tail, head, capacity):
        graph.setdefault(tail, {})
        graph.setdefault(head, {})
        graph[tail][head] = graph[tail].get(head, 0) + capacity
        graph[head].setdefault(tail, 0)

    for need in problem.needs:
        add("source", ("app", need.application), need.count)
        for r in problem.reviewers:
            allowed = (r.expert, need.application) not in problem.forbidden
            if need.category in r.categories and allowed:
                add(("app", need.application), ("exp", r.expert), 1)
    for r in problem.reviewers:
        add(("exp", r.expert), "sink", problem.max_load - r.load)
    total = 0
    while "source" in graph:
        parents, queue = {"source": None}, ["source"]
        while queue and "sink" not in parents:
            node = queue.pop(0)
            for head, capacity in graph[node].items():
                if capacity > 0 and head not in parents:
                    parents[head] = node
                    queue.append(head)
        if "sink" not in parents:
            return total
        path, node = [], "sink"
        while parents[node] is not None:
            path.append((parents[node], node))
            node = parents[node]
        push = min(graph[t][h] for t, h in path)
        for t, h in path:
            graph[t][h] -= push
            graph[h][t] += push
        total += push
    return total


@settings(max_examples=150, deadline=None)
@given(problems())
def test_no_assignment_breaks_a_rule_and_every_need_is_met_when_possible(problem):
    solution = solve(problem)
    needs = {n.application: n for n in problem.needs}
    reviewers = {r.expert: r for r in problem.reviewers}
    assert len(set(solution.pairs)) == len(solution.pairs)  # never the same pair twice
    got = Counter()
    for application, expert in solution.pairs:
        assert (expert, application) not in problem.forbidden  # never a conflicted pair
        assert needs[application].category in reviewers[expert].categories
        got[application] += 1
    loads = Counter(expert for _, expert in solution.pairs)
    for expert, reviewer in reviewers.items():
        assert reviewer.load + loads[expert] <= problem.max_load
        assert solution.loads[expert] == reviewer.load + loads[expert]
    for application, need in needs.items():
        assert got[application] <= need.count
    if solution.feasible:
        assert all(got[a] == n.count for a, n in needs.items())
    else:
        assert (
            solution.category_shortfalls
            or solution.application_shortfalls
            or (solution.short_in_best)
        )


@settings(max_examples=150, deadline=None)
@given(problems())
def test_the_solver_places_as_many_reviews_as_possible(problem):
    solution = solve(problem)
    best = max_flow_oracle(problem)
    assert solution.assigned == best
    assert solution.feasible == (best == sum(n.count for n in problem.needs))


def test_repeatable_for_the_same_problem():
    problem = Problem(
        tuple(Need(f"app{i}", "a", 2) for i in range(6)),
        tuple(Reviewer(f"exp{j}", frozenset("a")) for j in range(5)),
        max_load=4,
        forbidden=frozenset({("exp0", "app1")}),
        seed=7,
    )
    first = solve(problem)
    assert first.feasible
    assert all(solve(problem).pairs == first.pairs for _ in range(3))


def test_loads_are_as_even_as_possible():
    problem = Problem(
        tuple(Need(f"app{i:02d}", "a", 3) for i in range(10)),
        tuple(Reviewer(f"exp{j}", frozenset("a")) for j in range(7)),
        max_load=30,
    )
    solution = solve(problem)
    assert solution.feasible
    # 30 reviews over 7 experts: five carry 4 and two carry 5.
    assert sorted(solution.loads.values()) == [4, 4, 4, 4, 4, 5, 5]


def test_earlier_loads_count_towards_evenness():
    problem = Problem(
        (Need("app1", "a", 1), Need("app2", "a", 1)),
        (Reviewer("busy", frozenset("a"), load=3), Reviewer("idle", frozenset("a"), load=0)),
        max_load=5,
    )
    solution = solve(problem)
    # Loads (3, 2) cost 13 in squares; (4, 1) would cost 17.
    assert solution.pairs == [("app1", "idle"), ("app2", "idle")]
    assert solution.loads == {"busy": 3, "idle": 2}
    assert solution.load_squares == 13


def test_a_category_without_enough_experts_is_explained():
    problem = Problem(
        (*(Need(f"app{i}", "a", 3) for i in range(4)), Need("other", "b", 1)),
        (*(Reviewer(f"exp{j}", frozenset("a")) for j in range(3)), Reviewer("b1", frozenset("b"))),
        max_load=2,
    )
    solution = solve(problem)
    assert not solution.feasible
    [shortfall] = solution.category_shortfalls
    assert (shortfall.category, shortfall.applications, shortfall.needed) == ("a", 4, 12)
    assert (shortfall.experts, shortfall.capacity) == (3, 6)
    assert solution.application_shortfalls == []
    assert solution.assigned == 7  # six in "a" (the limit), one in "b"


def test_an_application_whose_only_experts_are_conflicted_is_named():
    problem = Problem(
        (Need("app1", "a", 2), Need("app2", "a", 2)),
        tuple(Reviewer(f"exp{j}", frozenset("a")) for j in range(3)),
        max_load=5,
        forbidden=frozenset({("exp0", "app2"), ("exp1", "app2")}),
    )
    solution = solve(problem)
    assert not solution.feasible
    assert [(s.application, s.eligible, s.needed) for s in solution.application_shortfalls] == [
        ("app2", 1, 2)
    ]
    assert solution.category_shortfalls == []
    assert ("app2", "exp2") in solution.pairs
    assert solution.short_in_best == [("app2", 1, 2)]


def test_an_empty_problem_is_feasible():
    solution = solve(Problem((), (), max_load=3))
    assert (solution.feasible, solution.pairs, solution.loads) == (True, [], {})
