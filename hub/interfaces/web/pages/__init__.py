"""The hub's pages: Jinja2 templates whose every read and write is a GraphQL document from
frontend/graphql, run in-process through the hub's own schema as the signed-in viewer."""
