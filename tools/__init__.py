"""Research and delivery tools: they know nothing of graphs, models or the web server."""
