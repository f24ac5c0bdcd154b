"""kiosk devices: a tablet's signed, expiring, revocable link to answer an event offline

Revision ID: 0160
Revises: 0111
Create Date: 2026-12-05 03:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0160'
down_revision = '0150'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'kiosk_devices',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('label', sa.String(length=60), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('last_received_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ['created_by_id'], ['staff_users.id'],
            name=op.f('fk_kiosk_devices_created_by_id_staff_users'), ondelete='SET NULL',
        ),
        sa.ForeignKeyConstraint(
            ['event_id'], ['events.id'],
            name=op.f('fk_kiosk_devices_event_id_events'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_kiosk_devices')),
    )
    with op.batch_alter_table('kiosk_devices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kiosk_devices_event_id'), ['event_id'], unique=False)


def downgrade():
    with op.batch_alter_table('kiosk_devices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kiosk_devices_event_id'))
    op.drop_table('kiosk_devices')
