"""census populations: who lives in each area, to compare and re-weight results with

Seeded with the usual resident population of the seven West Midlands areas from the 2021
Census (ONS, rounded to the nearest hundred). Admins change them, and add age bands, on the
staff "Populations" page.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 02:10:00

"""
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

SOURCE = 'ONS, Census 2021: usual resident population, all ages (rounded to the nearest 100)'
CENSUS_2021 = {
    'birmingham': 1_144_900,
    'coventry': 345_300,
    'dudley': 323_500,
    'sandwell': 341_900,
    'solihull': 216_200,
    'walsall': 284_100,
    'wolverhampton': 263_700,
}


def upgrade():
    table = op.create_table(
        'census_populations',
        sa.Column('area', sa.String(length=20), nullable=False),
        sa.Column('age_band', sa.String(length=20), nullable=False),
        sa.Column('population', sa.Integer(), nullable=False),
        sa.Column('source', sa.String(length=200), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            'population > 0 AND population <= 20000000',
            name=op.f('ck_census_populations_population_in_range'),
        ),
        sa.PrimaryKeyConstraint('area', 'age_band', name=op.f('pk_census_populations')),
    )
    now = datetime.now(timezone.utc)
    op.bulk_insert(
        table,
        [
            {'area': area, 'age_band': 'all', 'population': people, 'source': SOURCE,
             'updated_at': now}
            for area, people in CENSUS_2021.items()
        ],
    )


def downgrade():
    op.drop_table('census_populations')
