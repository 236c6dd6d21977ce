"""Campaigns: campaign files, stored campaigns as the pipeline runs them, and a campaign's report.

May import settings, delivery/ and experiments/ (for the report); not runs/, review/ or cli/.
"""
