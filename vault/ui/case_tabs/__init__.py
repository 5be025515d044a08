"""Tabs of the case page (Overview, Documents) and the in-memory document viewer."""
