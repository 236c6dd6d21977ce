"""Multi-step sequences (next: issue 19): steps that know the thread, and a durable scheduler.

May import runs/, delivery/, campaigns/ and settings.
"""
