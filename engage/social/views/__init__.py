"""Staff pages for social media campaigns."""
