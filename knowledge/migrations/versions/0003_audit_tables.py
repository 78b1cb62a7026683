"""audit_tables, audit_table_cells: the HTML tables inside audit follow-ups and their values

Revision ID: 0003
Revises: 0002
"""
from alembic import op
import sqlalchemy as sa

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _provenance(table: str) -> list:
    return [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("section", sa.String(length=400), nullable=False),
        sa.Column("line_start", sa.Integer(), nullable=False),
        sa.Column("line_end", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["report_id"], ["reports.id"], name=op.f(f"fk_{table}_report_id_reports"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    ]


def upgrade() -> None:
    op.create_table(
        "audit_tables",
        sa.Column("audit_item_id", sa.Integer(), nullable=True),
        sa.Column("table_no", sa.Integer(), nullable=False),
        sa.Column("caption", sa.String(length=400), nullable=True),
        sa.Column("unit_note", sa.String(length=100), nullable=True),
        sa.Column("n_rows", sa.Integer(), nullable=False),
        sa.Column("n_cols", sa.Integer(), nullable=False),
        *_provenance("audit_tables"),
        sa.ForeignKeyConstraint(["audit_item_id"], ["audit_items.id"], name=op.f("fk_audit_tables_audit_item_id_audit_items"), ondelete="CASCADE"),
    )
    with op.batch_alter_table("audit_tables", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_tables_audit_item_id"), ["audit_item_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_tables_report_id"), ["report_id"], unique=False)

    op.create_table(
        "audit_table_cells",
        sa.Column("table_id", sa.Integer(), nullable=False),
        sa.Column("row_index", sa.Integer(), nullable=False),
        sa.Column("row_label", sa.String(length=400), nullable=False),
        sa.Column("column_label", sa.String(length=400), nullable=False),
        sa.Column("value_text", sa.Text(), nullable=False),
        sa.Column("value_num", sa.Float(), nullable=True),
        sa.Column("unit", sa.String(length=20), nullable=True),
        *_provenance("audit_table_cells"),
        sa.ForeignKeyConstraint(["table_id"], ["audit_tables.id"], name=op.f("fk_audit_table_cells_table_id_audit_tables"), ondelete="CASCADE"),
    )
    with op.batch_alter_table("audit_table_cells", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_table_cells_report_id"), ["report_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_table_cells_table_id"), ["table_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("audit_table_cells", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_table_cells_table_id"))
        batch_op.drop_index(batch_op.f("ix_audit_table_cells_report_id"))
    op.drop_table("audit_table_cells")
    with op.batch_alter_table("audit_tables", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_tables_report_id"))
        batch_op.drop_index(batch_op.f("ix_audit_tables_audit_item_id"))
    op.drop_table("audit_tables")
