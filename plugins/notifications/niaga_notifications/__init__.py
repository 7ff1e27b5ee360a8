"""Notifications to retailers (e-mail, WhatsApp) and consented KPI sharing with the principal."""
