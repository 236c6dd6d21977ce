"""The CRM sync ledger: which of our records became which HubSpot object.

One row per thing the sync wrote: a lead's contact, a domain's company, a lead's link to its
company, a sent message's email, a reply's note. A row is written as soon as HubSpot answered,
so a second sync finds it and writes nothing again. Rows about a lead go with the lead (an
erased person leaves nothing here); companies are kept by domain.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, String, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base

CRM_OBJECT_KINDS = ("contact", "company", "company_link", "email", "note")


class CrmSyncRow(Base):
    """One of our records and the HubSpot object the sync made of it."""

    __tablename__ = "crm_sync"
    __table_args__ = (UniqueConstraint("kind", "local_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    """contact, company, company_link (a lead's contact linked to its company), email, note."""
    local_key: Mapped[str] = mapped_column(String(300))
    """Our record: lead:<id>, domain:<domain>, message:<id> or event:<id>."""
    lead_id: Mapped[int | None] = mapped_column(
        ForeignKey("leads.id", ondelete="CASCADE"), index=True
    )
    hubspot_id: Mapped[str] = mapped_column(String(40))
    synced_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
