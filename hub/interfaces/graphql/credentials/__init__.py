"""Credentials as the API shows them: personal access tokens, sign-in sessions, admin rights."""
