"""The family's own data: downloading everything held about a child, closing the account."""
