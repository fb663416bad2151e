"""One router per resource of the web app."""
