"""HTML tables inside the audit follow-ups (행정사무감사 조치결과 속 표) and their cells."""

from __future__ import annotations

from sqlalchemy import Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .audit import AuditItem
from .base import Base, Provenance


class AuditTable(Provenance, Base):
    """One `<table>` of an audit item's response; line_start = line_end = the line it stands on."""

    __tablename__ = "audit_tables"
    __label__ = "행정사무감사 처리결과(표)"
    audit_item_id: Mapped[int | None] = mapped_column(ForeignKey("audit_items.id", ondelete="CASCADE"), index=True)  # audit_items.id
    table_no: Mapped[int] = mapped_column(Integer)  # 1, 2, … within the audit item
    caption: Mapped[str | None] = mapped_column(String(400))  # "< … >" title, else the phrase right before the table
    unit_note: Mapped[str | None] = mapped_column(String(100))  # "(단위 : 점, %)" → '점, %'
    n_rows: Mapped[int] = mapped_column(Integer)  # body rows (header rows not counted)
    n_cols: Mapped[int] = mapped_column(Integer)  # grid columns after colspan expansion

    audit_item: Mapped[AuditItem | None] = relationship()


class AuditTableCell(Provenance, Base):
    """One value of an audit table: row label × column header path; rowspan values are filled down."""

    __tablename__ = "audit_table_cells"
    __label__ = "행정사무감사 처리결과(표의 값)"
    table_id: Mapped[int] = mapped_column(ForeignKey("audit_tables.id", ondelete="CASCADE"), index=True)  # audit_tables.id
    row_index: Mapped[int] = mapped_column(Integer)  # 0-based body row
    row_label: Mapped[str] = mapped_column(String(400), default="")  # e.g. '2025 서울 ODA 온라인 연수'; '' when the table has none
    column_label: Mapped[str] = mapped_column(String(400), default="")  # header path, e.g. '2021년 현업 적용도 (%)'
    value_text: Mapped[str] = mapped_column(Text, default="")  # the cell as written: '74%', '1h', '-', '제주도 인재개발원'
    value_num: Mapped[float | None] = mapped_column(Float)  # 74.0, 1.0; NULL for words, dates and '-'
    unit: Mapped[str | None] = mapped_column(String(20))  # %, 점, 시간, … (value suffix, header or 단위 note)

    audit_table: Mapped[AuditTable] = relationship()
