"""Niaga Payments plugin: one payment lifecycle and Indonesian gateway adapters."""
