"""family replies in the clinic's thread

Issue 13: a guardian answers a clinic message on the same entry. A reply row from the
family has from_family true; every existing row is the clinic's (false).

Revision ID: 5778a2f30bf0
Revises: eff7e5fec45b
Create Date: 2026-12-01 23:15:25.660693

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5778a2f30bf0'
down_revision = 'eff7e5fec45b'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('replies', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('from_family', sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade():
    with op.batch_alter_table('replies', schema=None) as batch_op:
        batch_op.drop_column('from_family')
