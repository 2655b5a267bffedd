"""Verifiable credentials (PRODUCT.md §11): Open Badges 3.0 credentials signed per business,
their keys, their revocation status list and the public pages that verify them."""
