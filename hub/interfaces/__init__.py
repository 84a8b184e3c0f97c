"""How people and programs reach the hub: the GraphQL API (`graphql/`) and the web routes and pages
(`web/`). Thin over the layers below; nothing below imports them."""
