"""API clients as admins see them: `apiClients`, `createApiClient`, `revokeApiClient`."""
