"""Pure analysis functions: numbers and text in, numbers out. No Flask, no database."""
