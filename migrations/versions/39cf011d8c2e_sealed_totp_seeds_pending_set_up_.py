"""sealed TOTP seeds, pending set-up, recovery codes, trusted devices

Revision ID: 39cf011d8c2e
Revises: 2244cfd9276b
Create Date: 2026-12-01 19:13:39.405236

"""
from alembic import op
import sqlalchemy as sa

import portal.core.database
from portal.core.crypto import open_sealed, seal

# TOTP seeds move from a plain column to a sealed one (Fernet under PORTAL_DATA_KEYS,
# portal/core/crypto.py): the upgrade seals each existing seed with the app's first key,
# the downgrade opens it again. Both run inside the app (flask db upgrade), which holds
# the keys.
users = sa.table(
    "users",
    sa.column("id", sa.Integer),
    sa.column("totp_secret", sa.String),
    sa.column("totp_secret_encrypted", sa.Text),
)


def _move_seeds(source: str, target: str, convert) -> None:
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(users.c.id, users.c[source]).where(users.c[source].is_not(None))
    ).all()
    for user_id, value in rows:
        bind.execute(
            users.update().where(users.c.id == user_id).values({target: convert(value)})
        )


# revision identifiers, used by Alembic.
revision = '39cf011d8c2e'
down_revision = '2244cfd9276b'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('recovery_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', portal.core.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('used_at', portal.core.database.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_recovery_codes_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recovery_codes')),
    sa.UniqueConstraint('code_hash', name=op.f('uq_recovery_codes_code_hash'))
    )
    with op.batch_alter_table('recovery_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recovery_codes_user_id'), ['user_id'], unique=False)

    op.create_table('trusted_devices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', portal.core.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_used_at', portal.core.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', portal.core.database.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_trusted_devices_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_trusted_devices')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_trusted_devices_token_hash'))
    )
    with op.batch_alter_table('trusted_devices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_trusted_devices_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('totp_secret_encrypted', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('totp_pending_secret', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('totp_pending_at', portal.core.database.UTCDateTime(timezone=True), nullable=True))
    _move_seeds("totp_secret", "totp_secret_encrypted", seal)
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('totp_secret')


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('totp_secret', sa.VARCHAR(length=64), nullable=True))
    _move_seeds("totp_secret_encrypted", "totp_secret", open_sealed)
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('totp_pending_at')
        batch_op.drop_column('totp_pending_secret')
        batch_op.drop_column('totp_secret_encrypted')

    with op.batch_alter_table('trusted_devices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_trusted_devices_user_id'))

    op.drop_table('trusted_devices')
    with op.batch_alter_table('recovery_codes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recovery_codes_user_id'))

    op.drop_table('recovery_codes')
