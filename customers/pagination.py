"""Pages of the customer list that cost the same at a thousand customers or a million.

Django's Paginator counts every matching row on every page. Here the count is either known
(the database keeps customer counts per counsellor and status: `CustomerCount`) or bounded:
at most `limit` rows are counted and the list says "10,000+". Either way pages stop at `limit`
rows, so the deepest page reads at most that many rows from an index; narrowing the filter
or changing the sort reaches the rest.
"""

from django.core.paginator import Paginator
from django.utils.functional import cached_property


class BoundedPaginator(Paginator):
    def __init__(self, object_list, per_page, *, known_count=None, limit):
        super().__init__(object_list, per_page)
        self.known_count, self.limit = known_count, limit

    @cached_property
    def matching(self) -> int:
        """How many rows match, or `limit` + 1 when there are more than `limit`."""
        if self.known_count is not None:
            return self.known_count
        rows = self.object_list.order_by().values("pk")[: self.limit + 1]
        return rows.count()

    @property
    def more(self) -> bool:
        """There are more matching rows than the pages reach."""
        return self.matching > self.limit

    @cached_property
    def count(self) -> int:
        """The rows the pages reach."""
        return min(self.matching, self.limit)

    @property
    def count_label(self) -> str:
        """The number of matching customers as the list says it: exact when it is known or
        within the bound, "10,000+" when it was counted only that far."""
        if self.known_count is None and self.more:
            return f"{self.limit:,}+"
        return f"{self.matching:,}"

    def numbers(self, number: int):
        """The page numbers to offer around page `number`, as "1 … 4 5 6 … 40" (`ELLIPSIS`
        for the gaps); the last is the deepest page the bound allows."""
        return self.get_elided_page_range(number, on_each_side=1, on_ends=1)
