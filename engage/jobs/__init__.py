"""Background jobs: long work queued on RQ over Redis, or run in-process without it.

`enqueue` records the job in the database (`BackgroundJob`), which pages show, and hands it to
RQ when JOB_QUEUE_URL is set; unset (the embedded default), it runs the job at once in the
calling process. A job function takes a `JobProgress` first and returns a result dict.
What other packages use: `queue` (enqueue, find_job, JobProgress), `models` (BackgroundJob,
JobStatus) and `after_response` (AfterResponse, run_after_response: work run once a reply has gone).
"""
