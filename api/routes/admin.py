"""Admin-only routes: re-ingest the bundled report."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Query

from knowledge.ingest import ingest

from ..deps import AdminDep, SettingsDep
from ..schemas import ReingestOut

router = APIRouter(prefix="/admin", tags=["admin"])


@router.post("/reingest", response_model=ReingestOut)
def reingest(settings: SettingsDep, _admin: AdminDep,
             index: Annotated[bool, Query(description="검색 색인도 다시 만들지")] = True) -> ReingestOut:
    """내장 보고서를 다시 적재합니다(내용이 같으면 건너뜀). admin 전용."""
    results = ingest(None, settings, with_index=index)
    return ReingestOut(ok=True, results=[asdict(r) for r in results])
