"""Timings shared by the broker's supervised pub/sub listeners (Redis in
``subscriptions/broker_redis.py``, PostgreSQL in ``subscriptions/broker_postgres.py``)."""

# How long a subscriber waits for the backend to confirm its subscription.
SUBSCRIBE_TIMEOUT = 5.0
# Silence after which a listener pings its connection.
HEARTBEAT_SECONDS = 5.0
# Silence after which a listener gives its connection up and reconnects.
DEAD_AFTER_SECONDS = 15.0
