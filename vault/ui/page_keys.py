"""The registry keys of the pages other modules open by name (no Qt, no page imports)."""

SEARCH_PAGE_KEY = "search"
TRAINING_PAGE_KEY = "training"
RETENTION_PAGE_KEY = "retention"
CASE_PAGE_KEY = "case"
