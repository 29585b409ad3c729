"""Business rules and authorization. Returns models or raises ``ApiError``/``UserErrors``;
knows nothing of GraphQL types."""
