//! Chat connectors and recorded-log importers: every source normalised into `model::Comment`.
