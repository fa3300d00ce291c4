"""`make faults` judges a request in the phase it began and ended in; one that straddled the
stop or the start of PostgreSQL is reported with that transition, not judged."""

from bench.faults import phase_of


def test_a_request_within_one_phase_is_judged_there():
    assert phase_of("before", "before") == "before"
    assert phase_of("down", "down") == "down"


def test_a_request_begun_before_the_stop_and_answered_after_it_is_in_transition():
    assert phase_of("before", "stopping") == "stopping"
    assert phase_of("stopping", "down") == "stopping"
    assert phase_of("down", "starting") == "starting"
    assert phase_of("starting", "after") == "starting"


def test_a_request_that_spans_a_whole_transition_is_reported_apart():
    assert phase_of("before", "down") == "before to down"
