"""Unit tests of the numpy-based IRT modules run single-threaded: on a shared two-core machine
BLAS threads spinning over small matrices make a calibration 50 times slower. Set before any
test module imports numpy (BLAS reads it once, at load)."""

import os

for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")
