"""Planning the week (issue 23): segments and priority scores now; cadence and accounts next.

`prospects` reads a lead and its researched facts once into plain data (`signals`: trigger
events and their age; `seniority`); `segment_rules` compiles one rule into checks and
`segment_config` a campaign's segments, shares and angles, naming what is wrong with each;
`segmentation` places every lead in one segment; `priority` scores it as a sum of named parts
(`scoring_weights`); `stored_facts` reads facts and suppressions from the database;
`operations` is what the command line and the API share.

May import campaigns/, delivery/, sequences/, settings and storage/; never cli/.
"""
