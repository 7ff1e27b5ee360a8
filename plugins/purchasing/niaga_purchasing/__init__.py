"""Niaga Purchasing plugin: suppliers, purchase orders, goods receipts, bills and payments."""
