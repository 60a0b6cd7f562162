"""The public surface: the contract's names exist, and __all__ matches what is exported."""

from __future__ import annotations

import langchain_codemode


def test_contract_names_are_exported() -> None:
    for name in (
        "CodeModeToolkit",
        "CodeModeNode",
        "CodeModeMiddleware",
        "ExecutionResult",
        "ToolCallRecord",
    ):
        assert name in langchain_codemode.__all__
        assert getattr(langchain_codemode, name).__name__ == name


def test_all_matches_public_names() -> None:
    # dir(), not vars(): the package imports its names on first use.
    public = {
        name
        for name in dir(langchain_codemode)
        if not name.startswith("_")
        and ((value := getattr(langchain_codemode, name)) is not None)
        and (isinstance(value, type) or callable(value))
        and not isinstance(value, type(langchain_codemode))
    }
    assert public == set(langchain_codemode.__all__)
