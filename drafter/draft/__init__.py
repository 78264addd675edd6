"""The draft being written: structure, numbering, cross-references, provenance, checks."""
