"""research hub: registered sites, the summaries they sent and each summary's courses

No column names a patient, a reference or a date of a course (portal/research).

Revision ID: 3c326194eb03
Revises: 39cf011d8c2e
Create Date: 2026-12-01 19:25:56.103540

"""
from alembic import op
import sqlalchemy as sa

import portal.core.database


# revision identifiers, used by Alembic.
revision = '3c326194eb03'
down_revision = '39cf011d8c2e'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('research_sites',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('public_key', sa.String(length=64), nullable=False),
    sa.Column('created_at', portal.core.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_research_sites_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_research_sites')),
    sa.UniqueConstraint('code', name=op.f('uq_research_sites_code'))
    )
    op.create_table('site_summaries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('generated_on', sa.Date(), nullable=False),
    sa.Column('format_version', sa.Integer(), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('lot_salt_id', sa.String(length=16), nullable=False),
    sa.Column('course_count', sa.Integer(), nullable=False),
    sa.Column('loaded_at', portal.core.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('loaded_by_id', sa.Integer(), nullable=True),
    sa.Column('superseded_at', portal.core.database.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['loaded_by_id'], ['users.id'], name=op.f('fk_site_summaries_loaded_by_id_users')),
    sa.ForeignKeyConstraint(['site_id'], ['research_sites.id'], name=op.f('fk_site_summaries_site_id_research_sites'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_site_summaries')),
    sa.UniqueConstraint('digest', name=op.f('uq_site_summaries_digest'))
    )
    with op.batch_alter_table('site_summaries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_site_summaries_site_id'), ['site_id'], unique=False)

    op.create_table('summary_courses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('summary_id', sa.Integer(), nullable=False),
    sa.Column('total_dose_g_per_kg', sa.Float(), nullable=False),
    sa.Column('days', sa.Integer(), nullable=False),
    sa.Column('interval_days', sa.Integer(), nullable=True),
    sa.Column('product', sa.String(length=80), nullable=False),
    sa.Column('lots', sa.JSON(), nullable=False),
    sa.Column('age_band', sa.String(length=8), nullable=False),
    sa.Column('myometry_change', sa.Float(), nullable=True),
    sa.Column('before_day', sa.Integer(), nullable=True),
    sa.Column('after_day', sa.Integer(), nullable=True),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.Column('subjective_change', sa.Float(), nullable=True),
    sa.Column('diary_reported', sa.Boolean(), nullable=False),
    sa.Column('side_effects', sa.JSON(), nullable=False),
    sa.CheckConstraint('days BETWEEN 1 AND 5', name=op.f('ck_summary_courses_days_range')),
    sa.CheckConstraint('total_dose_g_per_kg > 0', name=op.f('ck_summary_courses_dose_positive')),
    sa.ForeignKeyConstraint(['summary_id'], ['site_summaries.id'], name=op.f('fk_summary_courses_summary_id_site_summaries'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_summary_courses'))
    )
    with op.batch_alter_table('summary_courses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_summary_courses_summary_id'), ['summary_id'], unique=False)



def downgrade():
    with op.batch_alter_table('summary_courses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_summary_courses_summary_id'))

    op.drop_table('summary_courses')
    with op.batch_alter_table('site_summaries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_site_summaries_site_id'))

    op.drop_table('site_summaries')
    op.drop_table('research_sites')
