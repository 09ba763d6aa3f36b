"""The pure domain core: plain functions over plain data, no I/O."""
