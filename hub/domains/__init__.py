"""The alliance's own rules, as async services that take a session and the viewer: the directory,
convenings and RSVPs, guests, the committee's governance, and peers' incremental sync."""
