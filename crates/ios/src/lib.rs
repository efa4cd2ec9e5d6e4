//! iOS packages (IPA) to an appvet Inventory. Not yet implemented: see the iOS issue.
