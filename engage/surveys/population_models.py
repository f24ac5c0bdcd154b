"""Who lives in each area: the population figures results are compared and re-weighted with."""

from datetime import datetime

from sqlalchemy import CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from engage.core.db_types import UTCDateTime, utcnow
from engage.core.extensions import Model

WHOLE_AREA = "all"  # the age_band of an area's total, all ages
MAX_POPULATION = 20_000_000  # more than any English local authority area holds


class CensusPopulation(Model):
    """People living in an area (age_band "all"), or in one of the survey's age bands there."""

    __tablename__ = "census_populations"

    area: Mapped[str] = mapped_column(String(20), primary_key=True)
    age_band: Mapped[str] = mapped_column(String(20), primary_key=True, default=WHOLE_AREA)
    population: Mapped[int]
    source: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    __table_args__ = (
        CheckConstraint(
            f"population > 0 AND population <= {MAX_POPULATION}", name="population_in_range"
        ),
    )
