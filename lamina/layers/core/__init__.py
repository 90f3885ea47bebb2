"""Core layers: Input, Dense, Embedding, Lambda, Masking, ..."""
