"""The domain core every capability builds on, knowing nothing of HTTP.

Settings (`config`), the extensions (`extensions`: db, migrate, login_manager, csrf, limiter),
column types (`db_types`, `enum_column`), money in pence (`money`), the West Midlands areas
(`areas`), the domain errors services raise (`errors`) and shared text filters (`text_queries`).
`core` never imports `engage.web` or a capability package.
"""
