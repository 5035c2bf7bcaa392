"""Clinic day: guardians' phone numbers and the clinic's headache-with-fever alert settings

Revision ID: 2244cfd9276b
Revises: f03250851580
Create Date: 2026-12-01 18:59:47.035660

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "2244cfd9276b"
down_revision = "f03250851580"
branch_labels = None
depends_on = None


def upgrade():
    # Server defaults fill the rows already there; the models keep their own defaults.
    with op.batch_alter_table("clinics", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("meningism_window_hours", sa.Integer(), nullable=False, server_default="72")
        )
        batch_op.add_column(
            sa.Column("meningism_headache_grade", sa.Integer(), nullable=False, server_default="1")
        )

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("phone", sa.String(length=16), nullable=False, server_default="")
        )


def downgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("phone")

    with op.batch_alter_table("clinics", schema=None) as batch_op:
        batch_op.drop_column("meningism_headache_grade")
        batch_op.drop_column("meningism_window_hours")
