"""The directory: organizations, people and who belongs where."""
