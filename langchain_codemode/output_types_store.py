"""Learned result types of one toolkit, kept in memory and, when there is one, in a LangGraph store.

Owns which of a toolkit's tools learn (those whose declared output type says nothing, see
:func:`~langchain_codemode.typescript.learned.is_informative`), feeding their results to the
in-memory :class:`~langchain_codemode.typescript.learned.LearnedTypes`, and sharing what was
learned through a ``BaseStore``: the one given as ``output_types_store``, else the store of the
graph a script runs under. Records live under the namespace :data:`NAMESPACE`, one per tool,
keyed by server + tool name + input schema hash, holding a shape (never a value). A store is read
before a script runs and written after it, only for tools whose shape changed; racing writers
lose nothing for long, as every reader merges and writes back what it adds.

It knows nothing of TypeScript rendering, the sandbox or how tools are called.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from typing import Any

from langchain_core.runnables import RunnableConfig
from langgraph.store.base import BaseStore, GetOp, PutOp

from langchain_codemode.typescript.learned import LearnedType, LearnedTypes, to_json_schema

__all__ = ["NAMESPACE", "OutputTypes", "graph_store"]

NAMESPACE: tuple[str, ...] = ("langchain_codemode", "output_types")

_log = logging.getLogger(__name__)


async def _abatch(store: BaseStore, ops: list[Any]) -> list[Any]:
    """``store.abatch``, or its sync ``batch`` in a worker thread for sync-only stores
    (``SqliteStore`` has no async methods)."""
    try:
        return list(await store.abatch(ops))
    except NotImplementedError:
        return list(await asyncio.to_thread(store.batch, ops))


def graph_store(config: RunnableConfig | None) -> BaseStore | None:
    """The store of the graph ``config`` belongs to (``graph.compile(store=...)``), if any."""
    runtime = ((config or {}).get("configurable") or {}).get("__pregel_runtime")
    store = getattr(runtime, "store", None)
    if isinstance(store, BaseStore):
        return store
    try:
        from langgraph.config import get_store

        found = get_store()
    except (RuntimeError, KeyError, AttributeError, ImportError):
        return None
    return found if isinstance(found, BaseStore) else None


class OutputTypes:
    """The learned result types of one toolkit: ``keys`` maps each learning tool's identifier
    to its identity (:func:`~langchain_codemode.typescript.learned.tool_key`)."""

    def __init__(
        self, keys: Mapping[str, str], *, learn: bool, store: BaseStore | None
    ) -> None:
        self.keys = dict(keys)
        self.learn = learn
        self.store = store
        self.memory = LearnedTypes()
        self._loaded_from: set[int] = set()

    @property
    def version(self) -> int:
        """Goes up whenever a learned declaration changes."""
        return self.memory.version

    def learned(self, identifier: str) -> tuple[dict[str, Any], int] | None:
        """The learned output JSON Schema of a tool and the results it was learned from."""
        key = self.keys.get(identifier)
        found = self.memory.get(key) if key is not None else None
        if found is None:
            return None
        return to_json_schema(found.shape), found.results

    def counts(self) -> dict[str, int]:
        """Each learned tool (by identifier) and the results its type was learned from."""
        found = {ident: self.memory.get(key) for ident, key in self.keys.items()}
        return {ident: item.results for ident, item in found.items() if item is not None}

    def observe(self, identifier: str, value: Any) -> None:
        """A successful result of ``identifier``, as the script received it."""
        key = self.keys.get(identifier)
        if key is not None and self.learn:
            self.memory.observe(key, value)

    def _store_for(self, config: RunnableConfig | None) -> BaseStore | None:
        if not self.keys:
            return None
        return self.store if self.store is not None else graph_store(config)

    # -- sharing through a store --------------------------------------------------------------
    def _absorb(self, results: list[Any]) -> None:
        for key, item in zip(self.keys.values(), results, strict=True):
            stored = LearnedType.from_record(getattr(item, "value", None))
            if stored is not None:
                self.memory.absorb(key, stored)

    def _reads(self) -> list[GetOp]:
        return [GetOp(NAMESPACE, key, refresh_ttl=False) for key in self.keys.values()]

    def _writes(self) -> list[PutOp]:
        writes = []
        for key in sorted(self.memory.dirty):
            found = self.memory.get(key)
            if found is not None:
                writes.append(PutOp(NAMESPACE, key, found.to_record(), index=False))
        self.memory.dirty.clear()
        return writes

    async def aload(
        self, config: RunnableConfig | None = None, *, store: BaseStore | None = None
    ) -> None:
        """Merge what the store holds into memory (before a script runs, before a model call).

        Learning is best effort: a store that fails is logged, and the script runs anyway.
        """
        store = store if store is not None and self.store is None else self._store_for(config)
        if store is None or not self.keys:
            return
        try:
            self._absorb(await _abatch(store, self._reads()))
        except Exception:
            _log.warning("could not read learned output types from %r", store, exc_info=True)
        else:
            self._loaded_from.add(id(store))

    async def asave(self, config: RunnableConfig | None = None) -> None:
        """Write the shapes that changed (after a script ran); failures are logged."""
        store = self._store_for(config)
        if store is None or not self.learn or not self.memory.dirty:
            return
        writes = self._writes()
        try:
            await _abatch(store, writes)
        except Exception:
            _log.warning("could not save learned output types to %r", store, exc_info=True)

    def load(self, store: BaseStore | None = None, *, once: bool = False) -> None:
        """Read the store from sync code (the first look at the declarations, a model call).

        An async-only store cannot be read from its own event loop's thread; then what it holds
        arrives with the next script instead.
        """
        store = self.store if self.store is not None else store
        if store is None or not self.keys or (once and id(store) in self._loaded_from):
            return
        self._loaded_from.add(id(store))
        try:
            self._absorb(list(store.batch(self._reads())))
        except Exception:
            _log.debug("learned output types not read synchronously from %r", store)
