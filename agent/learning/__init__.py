"""Learning from reviewers' edits and prospects' replies, per campaign, reversible and logged.

- phrasings: a draft and its edit compared sentence by sentence (difflib): what reviewers
  removed, kept and wrote, and the phrasings at least two edits agree on;
- campaign_learning: a campaign's learning since its reset (recent approved edits as examples,
  phrasings, outcomes per segment × hook kind × tone) and `StoredLearning`, the runs' source;
- reply_chance: the priority score's reply-chance part, from the Beta posteriors over
  positive-reply rates that graphs/hook_choice.py also samples (Thompson) to choose a hook;
- overview: what `outreach learning show` and the API show, and the reset.

The writer receives the learning through the run's context (graphs/learned.py); each message
records which examples, phrasings and odds shaped it in its generation's prompt record.
"""
