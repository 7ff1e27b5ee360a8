"""Niaga Sales plugin: retailer orders, point of sale, deliveries, invoices and returns."""
