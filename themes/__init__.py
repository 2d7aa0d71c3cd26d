"""Theme files (TOML) bundled with pipellm-tui; this folder ships as the package pipellm_tui.themes."""
