"""Language-model backends behind one interface (:class:`core.llm.base.ChatBackend`)."""
