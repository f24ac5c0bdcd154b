"""Background jobs: long work queued on RQ over Redis, or run in-process without it.

`enqueue` records the job in the database (`BackgroundJob`), which pages show, and hands it to
RQ when JOB_QUEUE_URL is set; unset (the embedded default), it runs the job at once in the
calling process. A job function takes a `JobProgress` first and returns a result dict.
"""
