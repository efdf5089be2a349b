"""Bundled data: the curated gazetteer and Natural Earth outlines (see README.md)."""
