"""connect's own runtime modules, copied into generated_client/connect/ (see generator/runtime/__init__.py)."""
