"""The test suite, a package so `tests.conftest` is ours, not a third-party `tests` package."""
