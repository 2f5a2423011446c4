"""Articles: ingesting one (read or fetched, cleaned, split, scored) and its sentences."""
