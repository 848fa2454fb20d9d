"""Pages for legal staff and leaders (one module per page family)."""
