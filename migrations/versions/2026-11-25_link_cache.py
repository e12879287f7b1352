"""link cache

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 17:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "link_cache",
        sa.Column("url_hash", sa.String(length=64), nullable=False),
        sa.Column("report", sa.JSON(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("url_hash", name=op.f("pk_link_cache")),
    )
    with op.batch_alter_table("link_cache", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_link_cache_expires_at"), ["expires_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("link_cache", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_link_cache_expires_at"))

    op.drop_table("link_cache")
