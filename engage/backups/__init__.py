"""Backups: the database (pg_dump, or SQLite's online backup API) and the grant documents."""
