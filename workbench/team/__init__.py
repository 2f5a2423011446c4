"""The desk's workflow (assignment, blind review, sending back, bulk status) and statistics."""
