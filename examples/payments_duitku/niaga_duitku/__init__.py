"""Duitku payments for Niaga (an example gateway adapter in its own distribution)."""
