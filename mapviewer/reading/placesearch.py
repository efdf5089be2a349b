"""Places the offline gazetteer knows by a name: for "Choose another place…" when the text's name has no
alternatives (a name taken for a town on another continent), or any name the reader types."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..core.gazetteer import name_key
from ..core.model import Alternative

if TYPE_CHECKING:
    from ..core.gazetteer import Gazetteer


def search_places(gazetteer: Gazetteer, query: str, limit: int = 50) -> list[Alternative]:
    """The places called ``query`` (any case, accents or other spelling), then those whose name starts
    with it: the curated ones (the places declarations name), then the biggest first."""
    key = name_key(query)
    if not key:
        return []
    found = {e.id: e for e in gazetteer.lookup(query)}
    exact = list(found)
    joined = " ".join(key)
    prefixed: list[str] = [pid for k, meanings in gazetteer.names.items() if " ".join(k).startswith(joined)
                           for pid, _ in meanings]
    index = gazetteer.geonames
    if index is not None:
        for name in index.names:
            if name.startswith(joined):
                prefixed += [pid for pid, _ in index.meanings(tuple(name.split(" "))) if pid not in gazetteer.shadowed]
    more = []
    for pid in dict.fromkeys(prefixed):
        if pid not in found:
            entry = gazetteer.get(pid)
            if entry is not None:
                found[pid] = entry
                more.append(pid)
    more.sort(key=lambda pid: (found[pid].origin != "curated", -found[pid].population, found[pid].name))
    return [Alternative.of(found[pid]) for pid in (exact + more)[:limit]]
