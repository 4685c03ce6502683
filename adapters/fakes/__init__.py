"""In-memory and fake adapters, strict enough to stand in for the real ones."""
