"""Pure account rules (no Django): one module per concept.

``tokens`` (lifetimes of API tokens), ``totp`` (the optional second factor and its secret at
rest), ``throttle`` (when a sign-in lockout lifts, and which address a request comes from).
"""
