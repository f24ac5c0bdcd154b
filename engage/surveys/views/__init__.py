"""Survey pages, split by who uses them: the public, survey builders, event staff, results."""
