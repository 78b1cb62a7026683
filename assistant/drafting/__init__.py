"""행정사무감사 답변서 초안 (audit-response drafts) for new requests and for items already in the database.

    from assistant.drafting import make_draft, to_markdown, to_docx
    draft = make_draft(ToolContext(), request="직장어린이집 … 마련하여 보고할 것")   # or item="건의:1"
    to_markdown(draft)   # str
    to_docx(draft)       # bytes (A4, request left / response right, sources list)

The CLI (`hrd draft`) and the API (`POST /api/v1/drafts`) both call these.
"""

from .build import make_draft
from .docx_export import to_docx
from .markdown import to_markdown
from .model import STATUSES, Draft

__all__ = ["Draft", "STATUSES", "make_draft", "to_docx", "to_markdown"]
