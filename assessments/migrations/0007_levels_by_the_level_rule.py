"""Kept for databases that applied it (it recomputed the scores by the level rule); now a no-op.

The recompute moved to ``0011_levels_recomputed_with_recency``, after ``0010_recency`` added the columns today's
scoring code writes (``level_evidence_at``, ``due_level``): run here, on a database with people, it would write
columns that do not exist yet.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("assessments", "0006_evidence_guard_band")]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
