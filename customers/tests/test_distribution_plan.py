"""customers.distribution.plan: pure, no database."""

from itertools import combinations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from customers.distribution import plan


def test_customers_go_to_the_lightest_loads_first():
    shares = plan(list(range(6)), {"arjun": 5, "meera": 1, "rahul": 0})

    assert {name: len(ids) for name, ids in shares.items()} == {"arjun": 0, "meera": 3, "rahul": 3}


def test_ties_are_broken_by_the_order_given_and_the_plan_is_repeatable():
    loads = {"arjun": 0, "meera": 0, "rahul": 0}

    first = plan(["a", "b", "c", "d"], loads)

    assert first == {"arjun": ["a", "d"], "meera": ["b"], "rahul": ["c"]}
    assert plan(["a", "b", "c", "d"], loads) == first


def test_nothing_to_share_or_nobody_to_share_with():
    assert plan([], {"arjun": 3}) == {"arjun": []}
    assert plan([1, 2], {}) == {}


@given(
    customers=st.integers(min_value=0, max_value=300),
    loads=st.lists(st.integers(min_value=0, max_value=50), min_size=1, max_size=12),
)
def test_after_sharing_no_receiver_has_more_than_one_above_anyone(customers, loads):
    named = {f"c{i}": load for i, load in enumerate(loads)}

    shares = plan(list(range(customers)), named)

    assert sorted(i for ids in shares.values() for i in ids) == list(range(customers))
    after = {name: named[name] + len(ids) for name, ids in shares.items()}
    receivers = [name for name, ids in shares.items() if ids]
    for name in receivers:
        # A receiver ends at most one above everyone else (the water level) ...
        assert all(after[name] <= after[other] + 1 for other in named)
    for one, other in combinations(receivers, 2):
        assert abs(after[one] - after[other]) <= 1


@pytest.mark.parametrize("count", [1, 7, 100])
def test_equal_loads_split_evenly(count):
    shares = plan(list(range(count)), {"a": 4, "b": 4, "c": 4})

    sizes = sorted(len(ids) for ids in shares.values())
    assert sizes[-1] - sizes[0] <= 1
