"""The social package's rules: campaigns, storing posts, collection, imports, moderation."""
