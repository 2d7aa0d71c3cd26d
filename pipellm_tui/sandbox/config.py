"""The sandbox's settings: where it listens, which key it accepts, and how it behaves.

Owns `SandboxConfig` only. Imports nothing outside the standard library, so the CLI and the UI can
build a config without loading starlette or uvicorn.
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_PORT = 8787
DEFAULT_API_KEY = "pipe-sandbox"


@dataclass(frozen=True, slots=True)
class SandboxConfig:
    host: str = "127.0.0.1"
    #: 0 picks a free port; `RunningSandbox.base_url` says which one.
    port: int = 0
    api_key: str = DEFAULT_API_KEY
    #: Requests per minute per key, counted in a sliding 60-second window.
    rpm: int = 60
    #: Starting balance in USD; each answered request costs the catalog's price of its usage.
    balance: float = 100.0
    #: Output tokens per second; 0 streams as fast as possible (events batched per write).
    token_rate: float = 0.0
    #: Status of the protocol-guard rejection on native routes (the docs are silent; 400 by default).
    guard_status: int = 400
    #: Status for an unknown model id: 400 (the documented example) or 404 (the error table).
    unknown_model_status: int = 400
    #: Delay before the first byte for the `slow-start` fault, unless `x-sandbox-delay` says otherwise.
    slow_start_seconds: float = 2.0
    #: How many exchanges `GET /_sandbox/exchanges/{request_id}` remembers.
    exchange_history: int = 200
    #: Length of the rate-limit window in seconds (60 per the docs; tests may shorten it).
    window_seconds: float = 60.0
    #: Largest answer a request may ask for with `x-sandbox-tokens` / `[[tokens:N]]`.
    max_forced_tokens: int = 1_000_000
    #: Seed for answer and tool-call ids (None: random, unique ids, as the real APIs give).
    id_seed: int | None = None
    #: A fixed Unix time for `created` fields (None: the real clock).
    clock: float | None = None
    #: Largest request body accepted, in bytes; a larger one gets a 413 (real gateways cap it too).
    max_body_bytes: int = 32 * 1024 * 1024
    #: Seconds a connection may stay without sending a whole request head (before its first request
    #: or between two); then it is closed, so idle and half-open connections do not pile up.
    idle_timeout: float = 5.0
    #: Seconds a client may take to send its body (then 408), or leave a streamed answer unread
    #: (then the stream is given up and the connection closed).
    client_timeout: float = 30.0
    #: uvicorn's log level when run from the command line.
    log_level: str = "warning"
