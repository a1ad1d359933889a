"""slurper's own runtime modules, copied into generated_client/slurper/ (see generator/runtime/__init__.py)."""
