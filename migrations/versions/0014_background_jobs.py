"""background jobs: the record of each queued job, its progress, result or error

Pages show a job's status from here, whether it ran on an RQ worker or in-process, so it
survives a reload and needs no Redis. job_key is unique: the same work is one job. updated_at
moves with every change, so a job whose worker died mid-job shows as stalled and can restart.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04 03:20:00

"""

from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'background_jobs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('job_key', sa.String(length=200), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('progress_done', sa.Integer(), nullable=False),
        sa.Column('progress_total', sa.Integer(), nullable=True),
        sa.Column('result', sa.JSON(), nullable=True),
        sa.Column('error', sa.String(length=1000), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('queued', 'running', 'done', 'failed')",
            name=op.f('ck_background_jobs_status'),
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_background_jobs')),
        sa.UniqueConstraint('job_key', name=op.f('uq_background_jobs_job_key')),
    )


def downgrade():
    op.drop_table('background_jobs')
