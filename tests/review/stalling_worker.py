"""`manage.py worker` whose summary-table layout stalls, so a test can kill it mid-task.

Run as a script: `python tests/review/stalling_worker.py SIGNAL_FILE [worker options]`.
When the worker reaches the PDF layout (the XLSX is rendered by then) it writes
SIGNAL_FILE and waits for ever, as a worker stuck in a long table would.
"""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def main(signal_file: Path, options: list[str]) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "keyprojects.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from keyprojects.review import tables

    def stall(*args, **kwargs):
        signal_file.write_text("laying out")
        while True:
            time.sleep(1)

    tables._lay_out_pdf = stall
    call_command("worker", *options)


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2:])
