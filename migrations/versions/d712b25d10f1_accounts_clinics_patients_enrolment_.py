"""accounts, clinics, patients, enrolment codes, infusion courses

Revision ID: d712b25d10f1
Revises: 
Create Date: 2026-11-22 02:45:07.468003

"""
from alembic import op
import sqlalchemy as sa

import portal.core.database


# revision identifiers, used by Alembic.
revision = 'd712b25d10f1'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('clinics',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('created_at', portal.core.database.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_clinics')),
    sa.UniqueConstraint('name', name=op.f('uq_clinics_name'))
    )
    op.create_table('patients',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('clinic_id', sa.Integer(), nullable=False),
    sa.Column('patient_ref', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('date_of_birth', sa.Date(), nullable=False),
    sa.Column('sex', sa.String(length=8), nullable=False),
    sa.Column('onset_date', sa.Date(), nullable=True),
    sa.Column('subtype', sa.String(length=20), nullable=False),
    sa.Column('weight_kg', sa.Float(), nullable=True),
    sa.Column('created_at', portal.core.database.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("sex IN ('female', 'male', 'other')", name=op.f('ck_patients_sex')),
    sa.CheckConstraint('weight_kg IS NULL OR weight_kg > 0', name=op.f('ck_patients_weight_positive')),
    sa.ForeignKeyConstraint(['clinic_id'], ['clinics.id'], name=op.f('fk_patients_clinic_id_clinics')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_patients')),
    sa.UniqueConstraint('patient_ref', name=op.f('uq_patients_patient_ref'))
    )
    with op.batch_alter_table('patients', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_patients_clinic_id'), ['clinic_id'], unique=False)

    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('display_name', sa.String(length=120), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('clinic_id', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('session_version', sa.Integer(), nullable=False),
    sa.Column('created_at', portal.core.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('last_login_at', portal.core.database.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("role IN ('guardian', 'child', 'clinician', 'admin')", name=op.f('ck_users_role')),
    sa.ForeignKeyConstraint(['clinic_id'], ['clinics.id'], name=op.f('fk_users_clinic_id_clinics')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_users_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('email', name=op.f('uq_users_email'))
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_users_clinic_id'), ['clinic_id'], unique=False)

    op.create_table('enrolment_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('hint', sa.String(length=4), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', portal.core.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', portal.core.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('used_at', portal.core.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('used_by_id', sa.Integer(), nullable=True),
    sa.Column('revoked_at', portal.core.database.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_enrolment_codes_created_by_id_users')),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], name=op.f('fk_enrolment_codes_patient_id_patients'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['used_by_id'], ['users.id'], name=op.f('fk_enrolment_codes_used_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enrolment_codes')),
    sa.UniqueConstraint('code_hash', name=op.f('uq_enrolment_codes_code_hash'))
    )
    with op.batch_alter_table('enrolment_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enrolment_codes_patient_id'), ['patient_id'], unique=False)

    op.create_table('infusion_courses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('days', sa.Integer(), nullable=False),
    sa.Column('total_dose_g_per_kg', sa.Float(), nullable=False),
    sa.Column('product', sa.String(length=80), nullable=False),
    sa.Column('indication', sa.String(length=24), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('created_at', portal.core.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', portal.core.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("status IN ('planned', 'given', 'cancelled')", name=op.f('ck_infusion_courses_status')),
    sa.CheckConstraint('days BETWEEN 1 AND 5', name=op.f('ck_infusion_courses_days_range')),
    sa.CheckConstraint('total_dose_g_per_kg >= 0.1 AND total_dose_g_per_kg <= 3', name=op.f('ck_infusion_courses_dose_range')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_infusion_courses_created_by_id_users')),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], name=op.f('fk_infusion_courses_patient_id_patients'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_infusion_courses'))
    )
    with op.batch_alter_table('infusion_courses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_infusion_courses_patient_id'), ['patient_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_infusion_courses_start_date'), ['start_date'], unique=False)

    op.create_table('patient_links',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('created_at', portal.core.database.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], name=op.f('fk_patient_links_patient_id_patients'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_patient_links_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'patient_id', name=op.f('pk_patient_links'))
    )
    op.create_table('course_lots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('lot_number', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['infusion_courses.id'], name=op.f('fk_course_lots_course_id_infusion_courses'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course_lots'))
    )
    with op.batch_alter_table('course_lots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_course_lots_course_id'), ['course_id'], unique=False)



def downgrade():
    with op.batch_alter_table('course_lots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_course_lots_course_id'))

    op.drop_table('course_lots')
    op.drop_table('patient_links')
    with op.batch_alter_table('infusion_courses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_infusion_courses_start_date'))
        batch_op.drop_index(batch_op.f('ix_infusion_courses_patient_id'))

    op.drop_table('infusion_courses')
    with op.batch_alter_table('enrolment_codes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enrolment_codes_patient_id'))

    op.drop_table('enrolment_codes')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_clinic_id'))

    op.drop_table('users')
    with op.batch_alter_table('patients', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_patients_clinic_id'))

    op.drop_table('patients')
    op.drop_table('clinics')
