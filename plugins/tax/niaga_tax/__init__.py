"""Niaga's tax plugin: the monthly PPN recap and PPh final UMKM."""
