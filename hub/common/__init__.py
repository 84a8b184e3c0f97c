"""The vocabulary every layer shares and that imports nothing else of the hub: user errors, ids,
names and text checks, the unset marker, Markdown rendering."""
