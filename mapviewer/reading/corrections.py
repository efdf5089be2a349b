"""What the reader can correct, and how it is saved: one place's correction in
every document that names it, its undo, and a name no gazetteer knows put on
the map.  The corrections themselves are the core's types; after any of these
the documents are mapped again (the window does that off its thread).
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..core.corrections import Choose, Coordinates, Correction, CorrectionStore, NotAPlace

if TYPE_CHECKING:
    from ..core.model import Atlas

__all__ = ["Choose", "Coordinates", "Correction", "NotAPlace", "correct_place", "parse_coordinates",
           "place_unmapped", "undo_correction"]

_NUMBER = r"[-+]?\d+(?:\.\d+)?"
_PAIR = re.compile(rf"\s*({_NUMBER})\s*[,;\s]\s*({_NUMBER})\s*")


def parse_coordinates(text: str) -> Coordinates | None:
    """ "25.12, 62.33" (latitude, longitude, as maps print them) as a correction, or None."""
    m = _PAIR.fullmatch(text or "")
    if m is None:
        return None
    lat, lon = float(m.group(1)), float(m.group(2))
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return Coordinates(lon, lat)


def correct_place(store: CorrectionStore, atlas: Atlas, place_id: str, correction: Correction) -> list[str]:
    """Save ``correction`` for a place in every document of ``atlas`` that names it.

    Returns the documents' sha256s. The key is the one the place was found
    under, so the correction applies again when the same text is read next time.
    """
    place = atlas.place(place_id)
    if place is None:
        raise KeyError(place_id)
    key = place.correction_key or place.id
    shas = sorted({atlas.documents[r.doc].sha256 for r in place.refs})
    for sha in shas:
        store.set(sha, key, correction)
    return shas


def undo_correction(store: CorrectionStore, atlas: Atlas, place_id: str) -> bool:
    """Forget the user's correction of a place, in every document naming it; False if it had none."""
    place = atlas.place(place_id)
    if place is None or place.correction is None:
        return False
    for sha in sorted({atlas.documents[r.doc].sha256 for r in place.refs}):
        store.remove(sha, place.correction_key or place.id)
    return True


def place_unmapped(store: CorrectionStore, atlas: Atlas, surface: str, correction: Correction) -> bool:
    """Put a name no gazetteer knows on the map (or say it is no place), in every document naming it."""
    found = [u for u in atlas.unmapped if u.surface == surface]
    if not found:
        return False
    for sha in sorted({atlas.documents[u.doc].sha256 for u in found}):
        store.set(sha, found[0].key, correction)
    return True
