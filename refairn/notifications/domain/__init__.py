"""Pure rules of notifications: the event catalogue and the delivery schedules (no Django)."""
