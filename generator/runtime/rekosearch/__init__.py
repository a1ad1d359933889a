"""rekosearch's own runtime modules, copied into generated_client/rekosearch/ (see generator/runtime/__init__.py)."""
