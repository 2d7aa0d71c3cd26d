"""The playground's panes, one module each. Widgets show state and post messages; they never send
requests, build URLs or import httpx2."""
