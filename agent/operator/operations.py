"""The operator's operations: what `outreach chat` can do, over the services the CLI and API use.

Each operation returns an Outcome (a summary in our words, the data the agent reads, and a view
for the terminal) or raises OperatorError with a message that says what to do instead. Nothing
here talks to a model: the agent (or the offline command parser) only chooses which operation
to run and with what arguments.

The operations live by concern (campaign_operations, lead_operations, run_operations,
review_operations, sending_operations), each a part of one class over the shared state and
lookups of operations_base; `Operations` puts the parts together for the chat's tools.
"""

from __future__ import annotations

from agent.operator.campaign_operations import CampaignOperations
from agent.operator.lead_operations import LeadOperations
from agent.operator.review_operations import ReviewOperations
from agent.operator.run_operations import RunOperations
from agent.operator.sending_operations import SendingOperations


class Operations(
    CampaignOperations, LeadOperations, RunOperations, ReviewOperations, SendingOperations
):
    """The operations, bound to one database and configuration."""
