"""The reference library: bundled and imported regulations, cleaned, parsed and correctable."""

from drafter.library.library import ReferenceLibrary, load_manifest
from drafter.library.reference import Reference

__all__ = ["Reference", "ReferenceLibrary", "load_manifest"]
