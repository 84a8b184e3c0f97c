"""Who is calling: people's tokens, the viewer they become, and the signing key."""
