"""A task for the worker tests: it notes each run in a file (appends are atomic per line)."""

import os
import time

from django_tasks import task


@task()
def note_run(path: str, number: int) -> int:
    time.sleep(0.05)  # long enough for the workers' turns to interleave
    with open(path, "a") as f:
        f.write(f"{number} {os.getpid()}\n")
    return number
