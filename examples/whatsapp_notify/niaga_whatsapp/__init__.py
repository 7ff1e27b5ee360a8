"""WhatsApp order notifications for Niaga, sent through the outbox after commit."""
