"""The assistant layer: one LangChain agent over the tools; offline planner (default) or an OpenAI-compatible model."""

from .answer import Answer, Citation, FactOut, ToolCallRecord
from .agent import Assistant, ask

__all__ = ["Answer", "Assistant", "Citation", "FactOut", "ToolCallRecord", "ask"]
