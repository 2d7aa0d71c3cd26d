"""Third-party clients against the sandbox: can litellm, LangChain, pydantic-ai, openai-agents, llm tell?

    python bench/third_party_clients.py [--venv /tmp/pipellm-third-party-venv] [--only NAME] [--no-install]

Makes a separate venv (the clients are not the project's dependencies; pip reaches PyPI), starts a
sandbox on 127.0.0.1, and runs bench/third_party_driver.py in that venv once per client. Each client
does: chat, stream, a tool with an enum and a nested model (arguments checked with jsonschema and
pydantic), structured output, a wrong key (401) and an unknown model (400); langchain-openai also
chains two Responses calls by `previous_response_id`. Prints a table: client x check, ok or fail with
a short reason.

The clients only ever reach 127.0.0.1: every base URL is given explicitly, telemetry is off
(LiteLLM, OpenTelemetry, logfire, LangSmith, openai-agents tracing), LiteLLM reads its bundled cost
map, and any other address goes to a proxy on a closed loopback port, so it fails at once.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from pipellm_tui.sandbox.config import SandboxConfig
from pipellm_tui.sandbox.server import start_in_thread

HERE = Path(__file__).resolve().parent
DRIVER = HERE / "third_party_driver.py"
DEFAULT_VENV = Path("/tmp/pipellm-third-party-venv")
PACKAGES = [
    "litellm",
    "langchain-openai",
    "langchain-anthropic",
    "langchain-google-genai",
    "pydantic-ai-slim[openai,anthropic,google]",
    "openai-agents",
    "llm",
    "jsonschema",
]
CLIENTS = [
    "litellm/openai",
    "litellm/anthropic",
    "litellm/gemini",
    "langchain-openai",
    "langchain-anthropic",
    "langchain-google-genai",
    "pydantic-ai/openai",
    "pydantic-ai/anthropic",
    "pydantic-ai/google",
    "openai-agents/responses",
    "openai-agents/chat",
    "llm",
]
CHECKS = ["chat", "stream", "tools", "structured", "401", "400", "prev-resp"]
#: Nothing listens here: a client that tries any address but the sandbox's fails at once.
DEAD_PROXY = "http://127.0.0.1:9"


def ensure_venv(venv: Path, install: bool) -> Path:
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    if install:
        started = time.monotonic()
        subprocess.run([str(python), "-m", "pip", "install", "-q", *PACKAGES], check=True)
        print(f"clients installed in {venv} ({time.monotonic() - started:.0f} s)", file=sys.stderr)
    return python


def client_env(url: str, key: str) -> dict[str, str]:
    env = {k: os.environ[k] for k in ("PATH", "HOME", "LANG", "TMPDIR") if k in os.environ}
    env.update(
        PIPELLM_SANDBOX_URL=url,
        PIPELLM_SANDBOX_KEY=key,
        # Fallbacks in case a client reads the environment instead of what it was given.
        OPENAI_BASE_URL=url + "/v1",
        OPENAI_API_KEY=key,
        ANTHROPIC_BASE_URL=url,
        ANTHROPIC_API_KEY=key,
        GEMINI_API_KEY=key,
        GOOGLE_API_KEY=key,
        # No telemetry, no downloads.
        LITELLM_TELEMETRY="False",
        LITELLM_LOCAL_MODEL_COST_MAP="True",
        OTEL_SDK_DISABLED="true",
        OTEL_TRACES_EXPORTER="none",
        LOGFIRE_SEND_TO_LOGFIRE="false",
        LOGFIRE_IGNORE_NO_CONFIG="1",
        LANGCHAIN_TRACING_V2="false",
        LANGSMITH_TRACING="false",
        OPENAI_AGENTS_DISABLE_TRACING="1",
        DO_NOT_TRACK="1",
        HF_HUB_OFFLINE="1",
        # Anything but loopback goes to a dead proxy.
        HTTP_PROXY=DEAD_PROXY,
        HTTPS_PROXY=DEAD_PROXY,
        ALL_PROXY=DEAD_PROXY,
        http_proxy=DEAD_PROXY,
        https_proxy=DEAD_PROXY,
        NO_PROXY="127.0.0.1,localhost",
        no_proxy="127.0.0.1,localhost",
    )
    return env


def run_client(python: Path, client: str, env: dict[str, str], timeout: float) -> dict[str, tuple[bool, str]]:
    try:
        done = subprocess.run(
            [str(python), str(DRIVER), client],
            check=False,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return {"*": (False, f"timed out after {timeout:.0f} s")}
    results: dict[str, tuple[bool, str]] = {}
    for line in done.stdout.splitlines():
        try:
            row = json.loads(line)
        except ValueError:
            continue
        if isinstance(row, dict) and "check" in row:
            results[str(row["check"])] = (bool(row["ok"]), str(row["detail"]))
    if not results:
        tail = " ".join(done.stderr.split())[-200:]
        results["*"] = (False, f"driver exited {done.returncode}: {tail}")
    return results


def table(rows: dict[str, dict[str, tuple[bool, str]]]) -> str:
    lines = ["| client | " + " | ".join(CHECKS) + " |", "|---" * (len(CHECKS) + 1) + "|"]
    failures: list[str] = []
    for client, results in rows.items():
        cells = []
        for check in CHECKS:
            ok, detail = results.get(check, results.get("*", (None, "")))  # type: ignore[arg-type]
            if ok is None:
                cells.append("n/a")
            elif ok:
                cells.append("ok")
            else:
                cells.append("fail")
                failures.append(f"- {client} / {check}: {detail[:160]}")
        lines.append(f"| {client} | " + " | ".join(cells) + " |")
    return "\n".join(lines + ([""] + failures if failures else []))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--venv", type=Path, default=DEFAULT_VENV)
    parser.add_argument("--only", action="append", help="run only this client (repeatable)")
    parser.add_argument("--no-install", action="store_true", help="use the venv as it is")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per client")
    args = parser.parse_args()
    python = ensure_venv(args.venv, install=not args.no_install)
    sandbox = start_in_thread(SandboxConfig(rpm=1_000_000, balance=1_000_000.0))
    rows: dict[str, dict[str, tuple[bool, str]]] = {}
    try:
        env = client_env(sandbox.base_url, sandbox.api_key)
        for client in args.only or CLIENTS:
            started = time.monotonic()
            rows[client] = run_client(python, client, env, args.timeout)
            print(f"{client}: {time.monotonic() - started:.1f} s", file=sys.stderr, flush=True)
    finally:
        sandbox.stop()
    print(table(rows))


if __name__ == "__main__":
    main()
