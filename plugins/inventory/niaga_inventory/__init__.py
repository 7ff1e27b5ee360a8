"""Niaga Inventory plugin: products, warehouses, stock ledger, stock counts and valuation."""
