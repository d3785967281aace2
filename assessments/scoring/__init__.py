"""Pure scoring: no ORM, no request, no clock (``now`` is passed in).

- ``grading``: one answer against its key → points and max points (quizzes).
- ``competency``: evidence → a competency score, level and confidence.
- ``items``: item statistics (facility, discrimination, reliability).
"""
