"""Land, buildings (floors, areas) and the training equipment inventory."""

from __future__ import annotations

from sqlalchemy import Float, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Provenance


class Facility(Provenance, Base):
    __tablename__ = "facilities"
    __label__ = "시설(부지·건물)"
    __unit__ = "㎡"
    name: Mapped[str] = mapped_column(String(60), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # site | building_total | building | amenity
    parcels: Mapped[int | None] = mapped_column(Integer)  # 필지
    buildings: Mapped[int | None] = mapped_column(Integer)  # 개동
    area_m2: Mapped[float | None] = mapped_column(Float)
    area_pyeong: Mapped[float | None] = mapped_column(Float)
    basement_floors: Mapped[int | None] = mapped_column(Integer)
    above_floors: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(String(300))


class Equipment(Provenance, Base):
    __tablename__ = "equipment"
    __label__ = "교육장비 현황"
    __unit__ = "개"
    item: Mapped[str] = mapped_column(String(60), index=True)
    inventory: Mapped[int | None] = mapped_column(Integer)  # 교육장비 현황
    over_lifespan: Mapped[int | None] = mapped_column(Integer)  # 내구연한 경과
