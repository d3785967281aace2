"""Where the third-party test material lives (H5P packages, SCORM packages, xAPI statements).

Nobody on the team wrote that material, so it is not in the repository. It is looked for in
``$HOCSO_TESTDATA`` when set (and nowhere else then), otherwise in ``../shared/testdata`` beside the
checkout. The tests skip what needs it when it is absent (CI sets ``HOCSO_TESTDATA_REQUIRED=1`` to fail
instead), and ``seed_demo`` imports a few H5P packages from it when it is there.
"""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOW_TO_GET = (
    "get the folder listed in README.md (section 'Test material') and set HOCSO_TESTDATA=/path/to/testdata "
    "or put it at ../shared/testdata beside the checkout"
)


def candidate() -> Path:
    """The folder that is used when it exists: $HOCSO_TESTDATA, else ../shared/testdata."""
    if os.environ.get("HOCSO_TESTDATA"):
        return Path(os.environ["HOCSO_TESTDATA"]).expanduser().resolve()
    return ROOT.parent / "shared" / "testdata"


def find_testdata() -> Path | None:
    """The test material folder, or None when it is absent."""
    path = candidate()
    return path if path.is_dir() else None


def missing_message() -> str:
    return f"third-party test material not found at {candidate()}: {HOW_TO_GET}"
