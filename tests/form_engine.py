"""ODK's form engine (@getodk/xforms-engine in forms/engine), installed from its lock file
the first time a test needs it. A file lock keeps two pytest-xdist workers from running
`npm ci` into the same folder at once."""

import fcntl
import shutil
import subprocess

import pytest

from forms.build import FORMS_DIR

ENGINE_DIR = FORMS_DIR / "engine"


def engine_install() -> None:
    """Install the engine's node_modules unless they are there; fail clearly without npm."""
    with (ENGINE_DIR / ".install.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (ENGINE_DIR / "node_modules" / "@getodk" / "xforms-engine").is_dir():
            return
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail(
                "npm is needed to install @getodk/xforms-engine (apt-get install nodejs npm)"
            )
        # From the lock file only: registry packages, no browsers, no scripts of our own.
        subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts"],
            cwd=ENGINE_DIR,
            check=True,
            capture_output=True,
            timeout=300,
        )
