"""Share customers out between counsellors so their open loads end up as even as possible."""

import heapq


def plan(customer_ids: list, loads: dict) -> dict:
    """Map each counsellor to the customers they should get.

    `loads` maps counsellor -> customers they already have open (customers being handed out are
    not counted). Each customer, in the order given, goes to whoever has the lightest load at
    that moment, ties broken by the order of `loads`; so after the plan no two counsellors who
    receive anything differ by more than one, and nobody ends up ahead of a counsellor who got
    nothing. Deterministic: the same input always gives the same plan.
    """
    if not loads:
        return {}
    heap = [(load, position) for position, load in enumerate(loads.values())]
    heapq.heapify(heap)
    counsellors = list(loads)
    shares = {counsellor: [] for counsellor in counsellors}
    for customer_id in customer_ids:
        load, position = heapq.heappop(heap)
        shares[counsellors[position]].append(customer_id)
        heapq.heappush(heap, (load + 1, position))
    return shares
