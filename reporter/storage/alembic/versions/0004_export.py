"""export: the DICOM objects made of signed reports, and the DICOM source of an ingested study

Revision ID: export
Revises: signed_text
"""

import sqlalchemy as sa
from alembic import op

revision = "export"
down_revision = "signed_text"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dicom_objects",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("addenda", sa.Integer(), nullable=False),
        sa.Column("sop_class_uid", sa.String(length=64), nullable=False),
        sa.Column("sop_instance_uid", sa.String(length=64), nullable=False),
        sa.Column("study_instance_uid", sa.String(length=64), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["reports.id"],
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["report_versions.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("report_id", "kind", "addenda"),
        sa.UniqueConstraint("sop_instance_uid"),
    )
    with op.batch_alter_table("dicom_objects", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dicom_objects_report_id"), ["report_id"], unique=False)
    with op.batch_alter_table("studies", schema=None) as batch_op:
        batch_op.add_column(sa.Column("dicom_source", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("studies", schema=None) as batch_op:
        batch_op.drop_column("dicom_source")
    with op.batch_alter_table("dicom_objects", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dicom_objects_report_id"))
    op.drop_table("dicom_objects")
