"""Staff pages: events."""
