"""Benchmarks of Layanan and the generator of their data (see bench/generate.py)."""
