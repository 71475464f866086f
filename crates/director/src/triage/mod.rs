//! Triage of viewer comments (pure): normalisation, language, floods, spam, intent, fair picking.
