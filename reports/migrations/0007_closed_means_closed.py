"""On PostgreSQL the database itself keeps closed things closed.

* Evaluation records and audit entries are append-only: no DELETE, and an UPDATE may only set the
  person/unit/actor link to NULL (what deleting that person, unit or account does); nothing else changes.
* A closed period's rules are frozen: while it is closed, its dates, unit, framework, band thresholds and
  coverage threshold cannot change (reopening, an audited service, changes the status first), and it cannot
  be deleted.

SQLite (development, tests) relies on the services; the PostgreSQL tests run these triggers.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION reports_evaluationrecord_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'reports_evaluationrecord is append-only: a closed evaluation is never deleted';
  END IF;
  IF (to_jsonb(NEW) - 'person_id' - 'unit_id') IS DISTINCT FROM (to_jsonb(OLD) - 'person_id' - 'unit_id')
     OR (NEW.person_id IS NOT NULL AND NEW.person_id IS DISTINCT FROM OLD.person_id)
     OR (NEW.unit_id IS NOT NULL AND NEW.unit_id IS DISTINCT FROM OLD.unit_id) THEN
    RAISE EXCEPTION 'reports_evaluationrecord is append-only: reopen the period and close it again instead';
  END IF;
  RETURN NEW;
END
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS reports_evaluationrecord_append_only ON reports_evaluationrecord;
CREATE TRIGGER reports_evaluationrecord_append_only BEFORE UPDATE OR DELETE ON reports_evaluationrecord
  FOR EACH ROW EXECUTE FUNCTION reports_evaluationrecord_append_only();

CREATE OR REPLACE FUNCTION reports_auditentry_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'reports_auditentry is append-only: audit entries are never deleted';
  END IF;
  IF (to_jsonb(NEW) - 'actor_id' - 'unit_id') IS DISTINCT FROM (to_jsonb(OLD) - 'actor_id' - 'unit_id')
     OR (NEW.actor_id IS NOT NULL AND NEW.actor_id IS DISTINCT FROM OLD.actor_id)
     OR (NEW.unit_id IS NOT NULL AND NEW.unit_id IS DISTINCT FROM OLD.unit_id) THEN
    RAISE EXCEPTION 'reports_auditentry is append-only: audit entries are never edited';
  END IF;
  RETURN NEW;
END
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS reports_auditentry_append_only ON reports_auditentry;
CREATE TRIGGER reports_auditentry_append_only BEFORE UPDATE OR DELETE ON reports_auditentry
  FOR EACH ROW EXECUTE FUNCTION reports_auditentry_append_only();

CREATE OR REPLACE FUNCTION reports_evaluationperiod_closed_frozen() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.status <> 'open' THEN
      RAISE EXCEPTION 'reports_evaluationperiod: a closed period cannot be deleted';
    END IF;
    RETURN OLD;
  END IF;
  IF OLD.status = 'closed' AND NEW.status = 'closed'
     AND (NEW.name, NEW.unit_id, NEW.starts_on, NEW.ends_on, NEW.framework_id, NEW.thresholds::text,
          NEW.coverage_threshold, NEW.snapshot_version)
         IS DISTINCT FROM
         (OLD.name, OLD.unit_id, OLD.starts_on, OLD.ends_on, OLD.framework_id, OLD.thresholds::text,
          OLD.coverage_threshold, OLD.snapshot_version) THEN
    RAISE EXCEPTION 'reports_evaluationperiod: the period is closed; reopen it (audited) before changing it';
  END IF;
  IF OLD.status = 'closed' AND NEW.status <> 'closed'
     AND (NEW.name, NEW.unit_id, NEW.starts_on, NEW.ends_on, NEW.framework_id, NEW.thresholds::text,
          NEW.coverage_threshold, NEW.snapshot_version)
         IS DISTINCT FROM
         (OLD.name, OLD.unit_id, OLD.starts_on, OLD.ends_on, OLD.framework_id, OLD.thresholds::text,
          OLD.coverage_threshold, OLD.snapshot_version) THEN
    RAISE EXCEPTION 'reports_evaluationperiod: reopening changes the status only';
  END IF;
  RETURN NEW;
END
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS reports_evaluationperiod_closed_frozen ON reports_evaluationperiod;
CREATE TRIGGER reports_evaluationperiod_closed_frozen BEFORE UPDATE OR DELETE ON reports_evaluationperiod
  FOR EACH ROW EXECUTE FUNCTION reports_evaluationperiod_closed_frozen();
"""

DROP = """
DROP TRIGGER IF EXISTS reports_evaluationrecord_append_only ON reports_evaluationrecord;
DROP FUNCTION IF EXISTS reports_evaluationrecord_append_only();
DROP TRIGGER IF EXISTS reports_auditentry_append_only ON reports_auditentry;
DROP FUNCTION IF EXISTS reports_auditentry_append_only();
DROP TRIGGER IF EXISTS reports_evaluationperiod_closed_frozen ON reports_evaluationperiod;
DROP FUNCTION IF EXISTS reports_evaluationperiod_closed_frozen();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("reports", "0006_coverage")]

    operations = [migrations.RunPython(forwards, backwards)]
