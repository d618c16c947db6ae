from dataclasses import dataclass

from .stats import Stat


@dataclass(frozen=True)
class Series:
    label: str
    stats: list[Stat]


@dataclass(frozen=True)
class Chart:
    """A chart drawn by static/js/charts.js from `data`, and the same numbers as a table."""

    id: str
    title: str
    kind: str  # a Chart.js type: "bar" or "line"
    labels: list[str]
    series: list[Series]
    label_heading: str = ""  # heading of the table's first column
    horizontal: bool = False

    @property
    def data_id(self) -> str:
        return f"{self.id}-data"

    @property
    def data(self) -> dict:
        """What json_script hands to the script: labels, and counts and links per series."""
        return {
            "kind": self.kind,
            "horizontal": self.horizontal,
            "labels": self.labels,
            "series": [
                {
                    "label": series.label,
                    "data": [stat.count for stat in series.stats],
                    "links": [stat.url for stat in series.stats],
                }
                for series in self.series
            ],
        }

    @property
    def rows(self) -> list[tuple[str, list[Stat]]]:
        """The table fallback: one row per label, one linked number per series."""
        columns = [series.stats for series in self.series]
        return [(label, [column[n] for column in columns]) for n, label in enumerate(self.labels)]
