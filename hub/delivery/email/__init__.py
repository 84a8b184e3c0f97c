"""Email: the messages the hub writes (templates in English and Spanish) and the senders that
deliver them (console for a newcomer, SendGrid in production)."""
