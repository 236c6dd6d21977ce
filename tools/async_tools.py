"""Build a LangChain tool over a coroutine, its type annotations resolved once.

LangChain looks for a `RunnableConfig` parameter by calling `typing.get_type_hints` on the
tool's function at every call. In a module with `from __future__ import annotations` every
annotation is a string, so each call evaluates them all again: about 0.2 ms a call, several
research calls a lead. Resolved here once, the same lookup finds types and evaluates nothing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, get_type_hints

from langchain_core.tools import StructuredTool
from langchain_core.tools.base import ArgsSchema


def async_tool(
    coroutine: Callable[..., Awaitable[Any]],
    *,
    name: str,
    description: str,
    args_schema: ArgsSchema | None,
) -> StructuredTool:
    """Return the tool; the coroutine's annotations become the types they name."""
    coroutine.__annotations__ = get_type_hints(coroutine)
    return StructuredTool.from_function(
        coroutine=coroutine, name=name, description=description, args_schema=args_schema
    )
