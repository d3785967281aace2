"""The LRS tests reuse the H5P fixtures (a course, a learner in it, real packages) where H5P writes
into the store."""

from tests.courses.h5p.conftest import (  # noqa: F401
    _frameworks,
    h5p_course,
    h5p_storage,
    import_activity,
    learner,
)
