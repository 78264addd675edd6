"""The PySide6 window: the only package that imports Qt; it calls the core, holds no rules."""
