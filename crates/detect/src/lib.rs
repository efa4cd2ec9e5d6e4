//! SDK and capability detection over an Inventory. Not yet implemented: see the detection issue.
