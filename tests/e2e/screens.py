"""Where the browser tests put their screenshots.

The documentation's pictures (``docs/_static/screenshots``) are rewritten only when asked,
``MLM_SCREENSHOTS=1 bash dev.sh test e2e``; otherwise the tests still take every screenshot,
into a scratch directory, so that a test run leaves the working tree as it found it.
"""

import os
import tempfile
from pathlib import Path

DOCS = Path(__file__).resolve().parents[2] / "docs" / "_static" / "screenshots"

if os.environ.get("MLM_SCREENSHOTS"):
    SCREENSHOTS = DOCS
else:
    SCREENSHOTS = Path(tempfile.mkdtemp(prefix="mlm-screenshots-"))
