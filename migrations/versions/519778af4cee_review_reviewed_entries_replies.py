"""review: reviewed state on diary entries, clinic replies, review indexes

Revision ID: 519778af4cee
Revises: f638ae08e9b6
Create Date: 2026-11-22 02:52:22.284881

"""
from alembic import op
import sqlalchemy as sa

import portal.core.database


# revision identifiers, used by Alembic.
revision = '519778af4cee'
down_revision = 'f638ae08e9b6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('replies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', portal.core.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('read_at', portal.core.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('read_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('length(text) BETWEEN 1 AND 1000', name=op.f('ck_replies_text_length')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_replies_author_id_users')),
    sa.ForeignKeyConstraint(['entry_id'], ['diary_entries.id'], name=op.f('fk_replies_entry_id_diary_entries'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], name=op.f('fk_replies_patient_id_patients'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['read_by_id'], ['users.id'], name=op.f('fk_replies_read_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_replies'))
    )
    with op.batch_alter_table('replies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_replies_entry_id'), ['entry_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_replies_patient_id'), ['patient_id'], unique=False)

    with op.batch_alter_table('diary_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reviewed_at', portal.core.database.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('reviewed_by_id', sa.Integer(), nullable=True))
        batch_op.create_index('ix_diary_entries_patient_live_date', ['patient_id', 'deleted_at', 'entry_date'], unique=False)
        batch_op.create_index('ix_diary_entries_review_queue', ['reviewed_at', 'patient_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_diary_entries_reviewed_by_id_users'), 'users', ['reviewed_by_id'], ['id'])

    with op.batch_alter_table('infusion_courses', schema=None) as batch_op:
        batch_op.create_index('ix_infusion_courses_patient_status_start', ['patient_id', 'status', 'start_date'], unique=False)



def downgrade():
    with op.batch_alter_table('infusion_courses', schema=None) as batch_op:
        batch_op.drop_index('ix_infusion_courses_patient_status_start')

    with op.batch_alter_table('diary_entries', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_diary_entries_reviewed_by_id_users'), type_='foreignkey')
        batch_op.drop_index('ix_diary_entries_review_queue')
        batch_op.drop_index('ix_diary_entries_patient_live_date')
        batch_op.drop_column('reviewed_by_id')
        batch_op.drop_column('reviewed_at')

    with op.batch_alter_table('replies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_replies_patient_id'))
        batch_op.drop_index(batch_op.f('ix_replies_entry_id'))

    op.drop_table('replies')
