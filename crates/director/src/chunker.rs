//! The sentence chunker: streaming writer deltas to speakable sentences.
