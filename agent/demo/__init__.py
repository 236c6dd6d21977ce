"""The demo's material: the bundled examples folder, the day its fictional sites are dated, and a
loopback web server that serves those sites by Host header.

`outreach demo` itself is a command (agent/cli/demo.py). Imports nothing else of agent/.
"""
