//! Clause catalogue and deployment contexts. Not yet implemented: see the policy issue.
