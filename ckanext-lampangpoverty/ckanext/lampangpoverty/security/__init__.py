"""The web surface's own defences: permission labels, CSRF, security headers, login
throttling."""
