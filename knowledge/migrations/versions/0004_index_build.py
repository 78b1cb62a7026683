"""reports.index_build: the search-index build that belongs to each report (readers use it)

Revision ID: 0004
Revises: 0003
"""
from alembic import op
import sqlalchemy as sa

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    columns = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("reports")}
    if "index_build" in columns:  # a database rolled back by hand keeps the column
        return
    with op.batch_alter_table("reports") as batch:
        batch.add_column(sa.Column("index_build", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("reports") as batch:
        batch.drop_column("index_build")
