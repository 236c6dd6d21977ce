"""Batch runs: leads through the lead pipeline, concurrently, checkpointed and stored.

Owns the pipeline factory, the batch runner, durable runs (database, checkpoints and pipeline
together), the run store, background runs for the API and each lead's result record. May import
leads/, campaigns/, delivery/, settings and providers; not cli/, review/ or operator/.
"""
