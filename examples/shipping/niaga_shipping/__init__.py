"""Shipping quotes: asks every courier plugin for its rate to a destination."""
