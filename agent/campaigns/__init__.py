"""Campaigns: one campaign type (`spec.CampaignSpec`) for campaign files, the API and the database,
its reading and writing of campaign rows (`stored`), campaign files, and a campaign's report.

May import settings, delivery/ and experiments/ (for the report); not runs/, review/ or cli/.
"""
