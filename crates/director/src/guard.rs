//! The guard: every sentence is checked against the claims ledger and the copy rules before it is said.
