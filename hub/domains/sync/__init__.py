"""Incremental sync for peers: `updatedSince` on the lists they read, and tombstones for what
left them."""
