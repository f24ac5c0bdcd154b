"""The fund's rules: each module holds one part of the workflow."""
