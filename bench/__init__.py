"""Benchmarks: they print their figures and assert nothing (STYLE.md)."""
