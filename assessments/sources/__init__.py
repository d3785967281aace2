"""Where evidence comes from: every evidence row names its source (``source_ref`` "<kind>:<key>"), the
registry (``registry.py``) checks each reference when the evidence is written and resolves it to a page
the viewer may open, and manual assessments (the one source with no other home) live here."""
