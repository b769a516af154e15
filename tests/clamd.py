"""A real ClamAV daemon (Debian's clamav-daemon) for the virus-scanning tests.

There is no internet for freshclam, so clamd starts on a database of one signature written
here: a test marker (not a real virus) that the tests put into otherwise valid files.
"""

import contextlib
import os
import shutil
import subprocess
import time
from pathlib import Path

MARKER = b"KEYPROJECTS-CLAMAV-TEST-MARKER-5d1e0c7a"
SIGNATURE = "KeyProjects.Test.Marker"
STARTUP_SECONDS = 60


def clamd_binary() -> str | None:
    path = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/sbin"])
    return shutil.which("clamd", path=path)


@contextlib.contextmanager
def running_clamd(directory: Path, stream_max="2M"):
    """Yields the Unix socket of a clamd started in `directory`; stops it afterwards."""
    database = directory / "db"
    database.mkdir()
    # An extended signature: name, any file type, any offset, the marker's bytes in hex.
    (database / "test.ndb").write_text(f"{SIGNATURE}:0:*:{MARKER.hex()}\n")
    sock = directory / "clamd.sock"
    config = directory / "clamd.conf"
    config.write_text(
        "\n".join(
            [
                "Foreground yes",
                f"LocalSocket {sock}",
                f"DatabaseDirectory {database}",
                f"LogFile {directory / 'clamd.log'}",
                f"StreamMaxLength {stream_max}",
                "",
            ]
        )
    )
    process = subprocess.Popen(
        [clamd_binary(), "-c", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not sock.exists():
            log = directory / "clamd.log"
            assert process.poll() is None, log.read_text() if log.exists() else "clamd exited"
            assert time.monotonic() < deadline, "clamd did not open its socket"
            time.sleep(0.1)
        yield str(sock)
    finally:
        process.terminate()
        process.wait(timeout=30)
