"""diary entries, versions, alerts, clinic alert thresholds

Revision ID: f638ae08e9b6
Revises: d712b25d10f1
Create Date: 2026-11-22 02:48:21.694829

"""
from alembic import op
import sqlalchemy as sa

import portal.core.database


# revision identifiers, used by Alembic.
revision = 'f638ae08e9b6'
down_revision = 'd712b25d10f1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('diary_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.String(length=36), nullable=False),
    sa.Column('entry_date', sa.Date(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('author_role', sa.String(length=10), nullable=False),
    sa.Column('strength', sa.Integer(), nullable=True),
    sa.Column('rash', sa.Integer(), nullable=True),
    sa.Column('rash_change', sa.Integer(), nullable=True),
    sa.Column('mood', sa.Integer(), nullable=True),
    sa.Column('headache', sa.Integer(), nullable=False),
    sa.Column('nausea', sa.Integer(), nullable=False),
    sa.Column('vomiting', sa.Integer(), nullable=False),
    sa.Column('diarrhoea', sa.Integer(), nullable=False),
    sa.Column('tiredness', sa.Integer(), nullable=False),
    sa.Column('muscle_pain', sa.Integer(), nullable=False),
    sa.Column('temperature_c', sa.Float(), nullable=True),
    sa.Column('warn_stiff_neck', sa.Boolean(), nullable=False),
    sa.Column('warn_dark_urine', sa.Boolean(), nullable=False),
    sa.Column('warn_yellow_skin', sa.Boolean(), nullable=False),
    sa.Column('warn_swollen_limb', sa.Boolean(), nullable=False),
    sa.Column('warn_chest_pain', sa.Boolean(), nullable=False),
    sa.Column('warn_less_urine', sa.Boolean(), nullable=False),
    sa.Column('walk_28ft_seconds', sa.Float(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', portal.core.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', portal.core.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('deleted_at', portal.core.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('deleted_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("author_role IN ('guardian', 'child')", name=op.f('ck_diary_entries_author_role')),
    sa.CheckConstraint('diarrhoea BETWEEN 0 AND 3', name=op.f('ck_diary_entries_diarrhoea_grade')),
    sa.CheckConstraint('headache BETWEEN 0 AND 3', name=op.f('ck_diary_entries_headache_grade')),
    sa.CheckConstraint('mood IS NULL OR mood BETWEEN 1 AND 5', name=op.f('ck_diary_entries_mood_range')),
    sa.CheckConstraint('muscle_pain BETWEEN 0 AND 3', name=op.f('ck_diary_entries_muscle_pain_grade')),
    sa.CheckConstraint('nausea BETWEEN 0 AND 3', name=op.f('ck_diary_entries_nausea_grade')),
    sa.CheckConstraint('rash IS NULL OR rash BETWEEN 0 AND 3', name=op.f('ck_diary_entries_rash_range')),
    sa.CheckConstraint('rash_change IS NULL OR rash_change BETWEEN -1 AND 1', name=op.f('ck_diary_entries_rash_change_range')),
    sa.CheckConstraint('strength IS NULL OR strength BETWEEN -2 AND 2', name=op.f('ck_diary_entries_strength_range')),
    sa.CheckConstraint('temperature_c IS NULL OR temperature_c BETWEEN 34 AND 43', name=op.f('ck_diary_entries_temperature_range')),
    sa.CheckConstraint('tiredness BETWEEN 0 AND 3', name=op.f('ck_diary_entries_tiredness_grade')),
    sa.CheckConstraint('vomiting BETWEEN 0 AND 3', name=op.f('ck_diary_entries_vomiting_grade')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_diary_entries_author_id_users')),
    sa.ForeignKeyConstraint(['deleted_by_id'], ['users.id'], name=op.f('fk_diary_entries_deleted_by_id_users')),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], name=op.f('fk_diary_entries_patient_id_patients'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_diary_entries')),
    sa.UniqueConstraint('client_id', name=op.f('uq_diary_entries_client_id'))
    )
    with op.batch_alter_table('diary_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_diary_entries_entry_date'), ['entry_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_diary_entries_patient_id'), ['patient_id'], unique=False)

    op.create_table('alerts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.Column('urgency', sa.Integer(), nullable=False),
    sa.Column('created_at', portal.core.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('acknowledged_at', portal.core.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('acknowledged_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['acknowledged_by_id'], ['users.id'], name=op.f('fk_alerts_acknowledged_by_id_users')),
    sa.ForeignKeyConstraint(['entry_id'], ['diary_entries.id'], name=op.f('fk_alerts_entry_id_diary_entries'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], name=op.f('fk_alerts_patient_id_patients'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alerts'))
    )
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alerts_acknowledged_at'), ['acknowledged_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_alerts_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_alerts_entry_id'), ['entry_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_alerts_patient_id'), ['patient_id'], unique=False)

    op.create_table('diary_entry_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=10), nullable=False),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.Column('changed_at', portal.core.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('previous', sa.JSON(), nullable=False),
    sa.Column('changed_fields', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['changed_by_id'], ['users.id'], name=op.f('fk_diary_entry_versions_changed_by_id_users')),
    sa.ForeignKeyConstraint(['entry_id'], ['diary_entries.id'], name=op.f('fk_diary_entry_versions_entry_id_diary_entries'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_diary_entry_versions'))
    )
    with op.batch_alter_table('diary_entry_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_diary_entry_versions_entry_id'), ['entry_id'], unique=False)

    with op.batch_alter_table('clinics', schema=None) as batch_op:
        batch_op.add_column(sa.Column('fever_threshold_c', sa.Float(), nullable=False, server_default='38.0'))
        batch_op.add_column(sa.Column('headache_alert_days', sa.Integer(), nullable=False, server_default='7'))



def downgrade():
    with op.batch_alter_table('clinics', schema=None) as batch_op:
        batch_op.drop_column('headache_alert_days')
        batch_op.drop_column('fever_threshold_c')

    with op.batch_alter_table('diary_entry_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_diary_entry_versions_entry_id'))

    op.drop_table('diary_entry_versions')
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alerts_patient_id'))
        batch_op.drop_index(batch_op.f('ix_alerts_entry_id'))
        batch_op.drop_index(batch_op.f('ix_alerts_created_at'))
        batch_op.drop_index(batch_op.f('ix_alerts_acknowledged_at'))

    op.drop_table('alerts')
    with op.batch_alter_table('diary_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_diary_entries_patient_id'))
        batch_op.drop_index(batch_op.f('ix_diary_entries_entry_date'))

    op.drop_table('diary_entries')
