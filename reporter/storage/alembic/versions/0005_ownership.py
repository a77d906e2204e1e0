"""ownership: the physician who owns a study's report (first drafted or claimed it)

Another physician may read the report but not edit, decide its flags or sign it until the report
is assigned to them (``POST /api/studies/{id}/assign``, audited with its reason).

Revision ID: ownership
Revises: export
"""

import sqlalchemy as sa
from alembic import op

revision = "ownership"
down_revision = "export"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("studies", schema=None) as batch_op:
        batch_op.add_column(sa.Column("owner_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_studies_owner_id"), ["owner_id"], unique=False)
        batch_op.create_foreign_key(batch_op.f("fk_studies_owner_id_users"), "users", ["owner_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("studies", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_studies_owner_id_users"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_studies_owner_id"))
        batch_op.drop_column("owner_id")
