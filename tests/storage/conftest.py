"""Every table the code ships is part of `Base.metadata` here, whichever storage tests run.

Tables kept in modules of their own register only when imported; the schema checks
(test_models_and_migrations_agree) compare the migrated database with the metadata, so the
modules are imported up front rather than by whichever test happens to import them first.
"""

from storage import crm_models, sequence_models

SCHEMA_MODULES = (crm_models, sequence_models)
"""Model modules beside storage/models.py (the CRM sync ledger; sequences, steps, tasks)."""
