"""signatures.signed_text: the signature holds the final document it signs

A signed report is a rendering of its own (plain title, the body as saved, the electronic
signature line: signer, role, UTC time, meaning); ``text_sha256`` is its hash. Signatures made
before this revision signed the stored text itself, which is copied into the new column.

Revision ID: signed_text
Revises: validations
"""

import sqlalchemy as sa
from alembic import op

revision = "signed_text"
down_revision = "validations"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("signatures", schema=None) as batch_op:
        batch_op.add_column(sa.Column("signed_text", sa.Text(), nullable=True))
    op.execute(
        "UPDATE signatures SET signed_text = (SELECT text FROM report_versions "
        "WHERE report_versions.id = signatures.version_id) WHERE version_id IS NOT NULL"
    )
    op.execute(
        "UPDATE signatures SET signed_text = (SELECT text FROM addenda "
        "WHERE addenda.id = signatures.addendum_id) WHERE addendum_id IS NOT NULL"
    )
    with op.batch_alter_table("signatures", schema=None) as batch_op:
        batch_op.alter_column("signed_text", existing_type=sa.Text(), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("signatures", schema=None) as batch_op:
        batch_op.drop_column("signed_text")
