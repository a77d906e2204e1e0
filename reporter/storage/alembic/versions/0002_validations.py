"""site validations and the language-model qualifications they record

``validations`` holds each record a department files (``ncreport validate-site``); one
``llm_qualifications`` row per backend the record qualified or not, looked up when the service is set
to refuse a backend without a passing qualification (``NCREPORT_REQUIRE_QUALIFIED_LLM``).

Revision ID: validations
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "validations"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "validations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("validated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("operator", sa.String(length=200), nullable=False),
        sa.Column("pairs", sa.Integer(), nullable=False),
        sa.Column("inputs_sha256", sa.String(length=64), nullable=False),
        sa.Column("thresholds_sha256", sa.String(length=64), nullable=False),
        sa.Column("ncreport_version", sa.String(length=50), nullable=False),
        sa.Column("record_json", sa.Text(), nullable=False),
        sa.Column("record_sha256", sa.String(length=64), nullable=False),
        sa.Column("stored_by", sa.String(length=100), nullable=False),
        sa.Column("stored_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "llm_qualifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("validation_id", sa.Integer(), nullable=False),
        sa.Column("backend", sa.String(length=40), nullable=False),
        sa.Column("model", sa.String(length=200), nullable=False),
        sa.Column("weights_sha256", sa.String(length=64), nullable=True),
        sa.Column("url", sa.String(length=500), nullable=True),
        sa.Column("qualified", sa.Boolean(), nullable=False),
        sa.Column("replaced", sa.Float(), nullable=True),
        sa.Column("max_replaced", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["validation_id"],
            ["validations.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("llm_qualifications", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_llm_qualifications_backend"), ["backend"], unique=False)
        batch_op.create_index(batch_op.f("ix_llm_qualifications_validation_id"), ["validation_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("llm_qualifications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_llm_qualifications_validation_id"))
        batch_op.drop_index(batch_op.f("ix_llm_qualifications_backend"))
    op.drop_table("llm_qualifications")
    op.drop_table("validations")
