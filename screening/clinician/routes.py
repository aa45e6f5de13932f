"""The review queue and one submission: read, note, review."""
