"""The comms dashboard's filters and figures, however the figures were counted."""

from dataclasses import dataclass
from datetime import date

from engage.social.models import DailyQuestion


@dataclass
class PostFilters:
    date_from: date | None = None
    date_to: date | None = None
    daily_question_id: int | None = None
    sentiment: str | None = None
    search: str | None = None
    show: str = "visible"

    @property
    def active(self) -> bool:
        return any(value for key, value in self.as_args().items())

    def as_args(self) -> dict:
        return {
            "date_from": self.date_from.isoformat() if self.date_from else None,
            "date_to": self.date_to.isoformat() if self.date_to else None,
            "question": self.daily_question_id,
            "sentiment": self.sentiment,
            "search": self.search,
            "show": self.show if self.show != "visible" else None,
        }


@dataclass
class DayFigures:
    day: date
    posts: int
    mean_polarity: float
    positive: int
    neutral: int
    negative: int


@dataclass
class QuestionFigures:
    daily: DailyQuestion
    replies: int
    positive: int
    neutral: int
    negative: int
    positions: dict[str, int]

    @property
    def unclassified(self) -> int:
        return self.replies - sum(self.positions.values())


@dataclass
class Dashboard:
    total: int
    shares: dict[str, int]
    days: list[DayFigures]
    hours: list[int]
    hashtags: list[tuple[str, int]]
    questions: list[QuestionFigures]
    # Change rows read beside the tallies because no fold has summed them in yet.
    pending_changes: int = 0

    @property
    def share_percents(self) -> dict[str, float]:
        return {
            name: 100 * count / self.total if self.total else 0.0
            for name, count in self.shares.items()
        }
