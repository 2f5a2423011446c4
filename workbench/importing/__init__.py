"""Reading files to import: one module per layout (the service that stores them is
workbench/importer.py)."""
