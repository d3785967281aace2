"""The append-only guard also covers the band and the level observed (after 0005 gave old rows theirs).

Only the supersede stamp (``superseded_at``/``superseded_by``, once) and ``recorded_by`` (set to NULL when
a user account is deleted) may change. SQLite (development, tests) relies on the services alone: its
test flush deletes rows, which a trigger would block.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION assessments_evidence_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'assessments_evidence is append-only: evidence is never deleted; supersede it instead';
  END IF;
  IF (NEW.person_id, NEW.competency_id, NEW.score, NEW.weight, NEW.source, NEW.source_ref, NEW.self_reported,
      NEW.band, NEW.observed_level_id, NEW.note, NEW.recorded_at, NEW.created_at)
     IS DISTINCT FROM
     (OLD.person_id, OLD.competency_id, OLD.score, OLD.weight, OLD.source, OLD.source_ref, OLD.self_reported,
      OLD.band, OLD.observed_level_id, OLD.note, OLD.recorded_at, OLD.created_at) THEN
    RAISE EXCEPTION 'assessments_evidence is append-only: record a superseding row instead of editing';
  END IF;
  IF OLD.superseded_at IS NOT NULL AND (NEW.superseded_at, NEW.superseded_by_id)
     IS DISTINCT FROM (OLD.superseded_at, OLD.superseded_by_id) THEN
    RAISE EXCEPTION 'assessments_evidence: this row is already superseded';
  END IF;
  RETURN NEW;
END
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS assessments_evidence_append_only ON assessments_evidence;
CREATE TRIGGER assessments_evidence_append_only BEFORE UPDATE OR DELETE ON assessments_evidence
  FOR EACH ROW EXECUTE FUNCTION assessments_evidence_append_only();
"""

def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        from importlib import import_module

        schema_editor.execute(import_module("assessments.migrations.0003_evidence_append_only_guard").CREATE)


class Migration(migrations.Migration):
    dependencies = [("assessments", "0005_band_defaults")]

    operations = [migrations.RunPython(forwards, backwards)]
