//! Prompts for the LLM writer: persona, product facts as data, slots, the viewer comment quoted as data.
