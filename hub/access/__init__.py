"""Who is calling and what they may do: tokens and the viewer (`auth/`), signing in (`signin/`), the
rules of who may see and do what (`permissions/`), and what a query costs (`budgets/`)."""
