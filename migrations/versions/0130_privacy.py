"""privacy: retention settings, the deletion log and the log of staff viewing personal data

Revision ID: 0130
Revises: 0090
Create Date: 2026-12-04 22:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0130'
down_revision = '0100'
branch_labels = None
depends_on = None


def _staff_fk(table, column):
    return sa.ForeignKeyConstraint(
        [column],
        ['staff_users.id'],
        name=op.f(f'fk_{table}_{column}_staff_users'),
        ondelete='SET NULL',
    )


def upgrade():
    op.create_table(
        'privacy_retention_settings',
        sa.Column('data_class', sa.String(length=40), nullable=False),
        sa.Column('days', sa.Integer(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.CheckConstraint('days > 0', name=op.f('ck_privacy_retention_settings_days_positive')),
        _staff_fk('privacy_retention_settings', 'updated_by_id'),
        sa.PrimaryKeyConstraint('data_class', name=op.f('pk_privacy_retention_settings')),
    )
    op.create_table(
        'privacy_deletion_log',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('data_class', sa.String(length=40), nullable=False),
        sa.Column('action', sa.String(length=20), nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.Column('rule', sa.String(length=300), nullable=False),
        sa.Column('request_reference', sa.String(length=20), nullable=True),
        sa.Column('staff_id', sa.Integer(), nullable=True),
        sa.CheckConstraint('count >= 0', name=op.f('ck_privacy_deletion_log_count_not_negative')),
        _staff_fk('privacy_deletion_log', 'staff_id'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_privacy_deletion_log')),
    )
    with op.batch_alter_table('privacy_deletion_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_privacy_deletion_log_at'), ['at'], unique=False)
        batch_op.create_index(
            batch_op.f('ix_privacy_deletion_log_request_reference'),
            ['request_reference'],
            unique=False,
        )
    op.create_table(
        'privacy_access_log',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('staff_id', sa.Integer(), nullable=True),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('record_id', sa.Integer(), nullable=False),
        _staff_fk('privacy_access_log', 'staff_id'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_privacy_access_log')),
    )
    with op.batch_alter_table('privacy_access_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_privacy_access_log_at'), ['at'], unique=False)
        batch_op.create_index(
            batch_op.f('ix_privacy_access_log_staff_id'), ['staff_id'], unique=False
        )
        batch_op.create_index('ix_privacy_access_log_kind_at', ['kind', 'at'], unique=False)


def downgrade():
    op.drop_table('privacy_access_log')
    op.drop_table('privacy_deletion_log')
    op.drop_table('privacy_retention_settings')
