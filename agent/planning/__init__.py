"""Planning the week (next: issue 23): segments, priority scores, cadence, several mailboxes.

May import campaigns/, delivery/, sequences/ and settings.
"""
