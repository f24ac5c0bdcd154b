"""Staff pages: results."""
