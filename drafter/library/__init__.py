"""The reference library: bundled and imported regulations, cleaned, parsed and correctable."""

from drafter.library.library import ReferenceLibrary, load_manifest
from drafter.library.reference import Reference, ReferenceSummary

__all__ = ["Reference", "ReferenceLibrary", "ReferenceSummary", "load_manifest"]
