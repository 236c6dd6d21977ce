"""LangGraph graphs; they depend on LangChain's chat-model interface, never on agent/."""
