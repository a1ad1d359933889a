"""Generated API clients, one package per API: see generator/apis.toml."""
