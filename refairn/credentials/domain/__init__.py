"""Pure credential rules (PRODUCT.md §11): no Django, plain values, ``now`` passed in.

One module per concept: ``keys`` (signing keys sealed at rest), ``badge`` (the Open Badges 3.0
document), ``vc_jwt`` (signing and checking the JWT), ``status_list`` (the revocation
bitstring), ``verification`` (the verdict), ``linkedin`` (the share link), ``times``.
"""
