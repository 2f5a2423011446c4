"""Page functions for the process-pool tests, in a module of their own: a worker imports this
module to run them, and it must import fast (the page's clock is already running)."""

from __future__ import annotations

import os
import time

from workbench.sources.page_work import PageDone, PageJob, finish_page


def hostile_work(job: PageJob) -> PageDone:
    """finish_page, except that it crashes, hangs or raises on marked bodies."""
    if job.body.startswith(b"CRASH"):
        os._exit(3)
    if job.body.startswith(b"HANG"):
        time.sleep(60)
    if job.body.startswith(b"RAISE"):
        raise RuntimeError("the extractor broke")
    return finish_page(job)
