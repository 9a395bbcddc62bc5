"""What every benchmark and soak script starts with: a release build of driftd, and its path."""
import os
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def release_driftd():
    """Builds driftd in release mode (quietly; a build error stops the script) and returns the binary's path.
    With DRIFTD set, that binary instead (a build before a change, kept aside for an A/B run)."""
    if os.environ.get("DRIFTD"):
        return os.environ["DRIFTD"]
    subprocess.run(["swift", "build", "-c", "release", "--product", "driftd"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    return os.path.join(ROOT, ".build", "release", "driftd")
