"""The officers' web app: review queue, item view, manual entries, KPI dashboard, reports, admin pages."""
