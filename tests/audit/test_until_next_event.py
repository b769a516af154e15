"""audit.queries.until_next_event: a figure kept while nothing is recorded, recomputed as
soon as an event is."""

from django.db import transaction

from keyprojects.audit.domain import record
from keyprojects.audit.queries import until_next_event


class Counting:
    def __init__(self):
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return {"n": self.calls}


def test_kept_while_nothing_is_recorded_and_recomputed_after_an_event(organisation, applicant):
    compute = Counting()
    assert until_next_event("figure", compute) == {"n": 1}
    assert until_next_event("figure", compute) == {"n": 1}
    assert until_next_event("other-figure", compute) == {"n": 2}  # its own key

    record(organisation, "changed", actor=applicant)

    assert until_next_event("figure", compute) == {"n": 3}
    assert until_next_event("figure", compute) == {"n": 3}


def test_a_rolled_back_event_leaves_no_figure_for_another_history(organisation, applicant):
    compute = Counting()
    try:
        with transaction.atomic():
            record(organisation, "changed", actor=applicant, reason="一")
            assert until_next_event("figure", compute) == {"n": 1}
            raise RuntimeError
    except RuntimeError:
        pass
    # The same sequence number again, another event: not the figure computed above.
    record(organisation, "changed", actor=applicant, reason="二")
    assert until_next_event("figure", compute) == {"n": 2}
