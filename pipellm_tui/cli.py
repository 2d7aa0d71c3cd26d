"""Command line entry point (placeholder until the commands land)."""
def main() -> None:
    print("pipellm-tui")
