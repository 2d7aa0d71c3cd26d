"""A local server that speaks PipeLLM's public API, for the playground, the tests and demos.

Start one with `server.start_in_thread(config.SandboxConfig(...))` (what the app and the tests do) or
`pipellm-tui sandbox` (`command.py`). Modules: `app` (the order of checks), `state` (what lives as
long as the server), `delivery` (sending an answer, JSON or streamed), `admission` (paths, keys,
protocol guard), `answer` (the conversion to the simulated upstream and back), `generator` (the
deterministic answers), `streaming` and `wire` (the streams), `faults`, `ratelimit`, `catalog`.
Importing this package loads nothing: starlette and uvicorn load when a server starts.
Imports protocols only; never client/ or ui/.
"""
