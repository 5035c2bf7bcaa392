"""assessments, medication records and weights

Formal clinic assessments (at most one a day per patient, range checks per measure),
medication history (prednisolone and other agents) and dated weights.

Revision ID: 70daabe77290
Revises: 519778af4cee
Create Date: 2026-11-22 03:09:25.058359

"""
from alembic import op
import sqlalchemy as sa

import portal.core.database


# revision identifiers, used by Alembic.
revision = '70daabe77290'
down_revision = '519778af4cee'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('assessments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('assessed_on', sa.Date(), nullable=False),
    sa.Column('myometry_neck_flexors', sa.Float(), nullable=True),
    sa.Column('myometry_knee_extension_right', sa.Float(), nullable=True),
    sa.Column('myometry_knee_extension_left', sa.Float(), nullable=True),
    sa.Column('myometry_shoulder_abduction', sa.Float(), nullable=True),
    sa.Column('myometry_hip_flexion', sa.Float(), nullable=True),
    sa.Column('myometry_hip_abduction', sa.Float(), nullable=True),
    sa.Column('motor_ability_score', sa.Integer(), nullable=True),
    sa.Column('motor_ability_items', sa.JSON(), nullable=True),
    sa.Column('walk_28ft_seconds', sa.Float(), nullable=True),
    sa.Column('cmas', sa.Integer(), nullable=True),
    sa.Column('mmt8', sa.Integer(), nullable=True),
    sa.Column('chaq', sa.Float(), nullable=True),
    sa.Column('physician_global', sa.Float(), nullable=True),
    sa.Column('parent_global', sa.Float(), nullable=True),
    sa.Column('ck', sa.Float(), nullable=True),
    sa.Column('ldh', sa.Float(), nullable=True),
    sa.Column('ast', sa.Float(), nullable=True),
    sa.Column('alt', sa.Float(), nullable=True),
    sa.Column('aldolase', sa.Float(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', portal.core.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', portal.core.database.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('aldolase IS NULL OR aldolase BETWEEN 0 AND 2000', name=op.f('ck_assessments_aldolase_range')),
    sa.CheckConstraint('alt IS NULL OR alt BETWEEN 0 AND 20000', name=op.f('ck_assessments_alt_range')),
    sa.CheckConstraint('ast IS NULL OR ast BETWEEN 0 AND 20000', name=op.f('ck_assessments_ast_range')),
    sa.CheckConstraint('chaq IS NULL OR chaq BETWEEN 0 AND 3', name=op.f('ck_assessments_chaq_range')),
    sa.CheckConstraint('ck IS NULL OR ck BETWEEN 0 AND 200000', name=op.f('ck_assessments_ck_range')),
    sa.CheckConstraint('cmas IS NULL OR cmas BETWEEN 0 AND 52', name=op.f('ck_assessments_cmas_range')),
    sa.CheckConstraint('ldh IS NULL OR ldh BETWEEN 0 AND 50000', name=op.f('ck_assessments_ldh_range')),
    sa.CheckConstraint('mmt8 IS NULL OR mmt8 BETWEEN 0 AND 80', name=op.f('ck_assessments_mmt8_range')),
    sa.CheckConstraint('motor_ability_score IS NULL OR motor_ability_score BETWEEN 0 AND 40', name=op.f('ck_assessments_motor_ability_score_range')),
    sa.CheckConstraint('myometry_hip_abduction IS NULL OR myometry_hip_abduction BETWEEN 0 AND 1000', name=op.f('ck_assessments_myometry_hip_abduction_range')),
    sa.CheckConstraint('myometry_hip_flexion IS NULL OR myometry_hip_flexion BETWEEN 0 AND 1000', name=op.f('ck_assessments_myometry_hip_flexion_range')),
    sa.CheckConstraint('myometry_knee_extension_left IS NULL OR myometry_knee_extension_left BETWEEN 0 AND 1000', name=op.f('ck_assessments_myometry_knee_extension_left_range')),
    sa.CheckConstraint('myometry_knee_extension_right IS NULL OR myometry_knee_extension_right BETWEEN 0 AND 1000', name=op.f('ck_assessments_myometry_knee_extension_right_range')),
    sa.CheckConstraint('myometry_neck_flexors IS NULL OR myometry_neck_flexors BETWEEN 0 AND 1000', name=op.f('ck_assessments_myometry_neck_flexors_range')),
    sa.CheckConstraint('myometry_shoulder_abduction IS NULL OR myometry_shoulder_abduction BETWEEN 0 AND 1000', name=op.f('ck_assessments_myometry_shoulder_abduction_range')),
    sa.CheckConstraint('parent_global IS NULL OR parent_global BETWEEN 0 AND 10', name=op.f('ck_assessments_parent_global_range')),
    sa.CheckConstraint('physician_global IS NULL OR physician_global BETWEEN 0 AND 10', name=op.f('ck_assessments_physician_global_range')),
    sa.CheckConstraint('walk_28ft_seconds IS NULL OR walk_28ft_seconds BETWEEN 0.5 AND 600', name=op.f('ck_assessments_walk_28ft_seconds_range')),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], name=op.f('fk_assessments_patient_id_patients'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_assessments_recorded_by_id_users')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_assessments_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessments')),
    sa.UniqueConstraint('patient_id', 'assessed_on', name=op.f('uq_assessments_patient_id_assessed_on'))
    )
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessments_patient_id'), ['patient_id'], unique=False)

    op.create_table('medication_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('agent', sa.String(length=20), nullable=False),
    sa.Column('other_name', sa.String(length=80), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('stop_date', sa.Date(), nullable=True),
    sa.Column('dose', sa.Float(), nullable=True),
    sa.Column('dose_unit', sa.String(length=20), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', portal.core.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', portal.core.database.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("agent IN ('prednisolone', 'azathioprine', 'ciclosporin', 'methotrexate', 'cyclophosphamide', 'other')", name=op.f('ck_medication_records_agent')),
    sa.CheckConstraint('dose IS NULL OR dose >= 0', name=op.f('ck_medication_records_dose_not_negative')),
    sa.CheckConstraint('stop_date IS NULL OR stop_date >= start_date', name=op.f('ck_medication_records_stop_after_start')),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], name=op.f('fk_medication_records_patient_id_patients'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_medication_records_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_medication_records'))
    )
    with op.batch_alter_table('medication_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_medication_records_agent'), ['agent'], unique=False)
        batch_op.create_index(batch_op.f('ix_medication_records_patient_id'), ['patient_id'], unique=False)

    op.create_table('weight_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('measured_on', sa.Date(), nullable=False),
    sa.Column('weight_kg', sa.Float(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', portal.core.database.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('weight_kg > 0', name=op.f('ck_weight_records_weight_positive')),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], name=op.f('fk_weight_records_patient_id_patients'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_weight_records_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_weight_records')),
    sa.UniqueConstraint('patient_id', 'measured_on', name=op.f('uq_weight_records_patient_id_measured_on'))
    )
    with op.batch_alter_table('weight_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_weight_records_patient_id'), ['patient_id'], unique=False)



def downgrade():
    with op.batch_alter_table('weight_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_weight_records_patient_id'))

    op.drop_table('weight_records')
    with op.batch_alter_table('medication_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_medication_records_patient_id'))
        batch_op.drop_index(batch_op.f('ix_medication_records_agent'))

    op.drop_table('medication_records')
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessments_patient_id'))

    op.drop_table('assessments')
