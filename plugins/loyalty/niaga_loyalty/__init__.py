"""Niaga Loyalty plugin: points for loyal retailers, a reward catalogue and promotions."""
