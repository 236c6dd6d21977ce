"""Planning the week (issue 23): segments, priority scores, and the weekly cadence plan.

`prospects` reads a lead and its researched facts once into plain data (`signals`: trigger
events and their age; `seniority`); `segment_rules` compiles one rule into checks and
`segment_config` a campaign's segments, shares and angles, naming what is wrong with each;
`segmentation` places every lead in one segment; `priority` scores it as a sum of named parts
(`scoring_weights`); `stored_facts` reads facts and suppressions from the database;
`cadence_config` reads a campaign's mailboxes (caps, warm-up ramps, windows, days);
`accounts` groups leads by company domain; `week_days` opens the week's days with each
mailbox's ramped cap; `mailbox_room` keeps the slots left per mailbox and day (stored steps
placed first); `weekly_plan` fills them (follow-ups due, then first touches by segment
share and priority, staggered by account); `leftovers` counts what did not fit and why;
`plan_report` shapes the plan as JSON; `stored_sequences` reads the steps a campaign's
sequences have due in the week; `plan_enrollment` hands a plan to the sequence scheduler;
`operations` is what the command line and the API share.

May import campaigns/, delivery/, sequences/, settings and storage/; never cli/.
"""
