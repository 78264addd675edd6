"""drafter — 立法起草助手: draft Chinese local regulations from reference clauses."""

import os as _os

__version__ = "0.1.0"
# The name documents are written under (a .docx's last-modified-by, the application field).
APP_DISPLAY_NAME = "立法起草助手"

# One BLAS thread unless the user says otherwise. The engine's matrix products are small
# (a query's few hundred candidates, an index build's 12,000-paragraph sample), and on the
# offices' 2-core PCs OpenBLAS's extra threads wait for cores the window and the other
# work hold: a QR in the index build took 3.3 s with them and 0.85 s without on a busy
# 2-core machine, and a long query's p95 grew fourfold with one core busy (see
# docs/benchmarks.md). Read by numpy's BLAS when numpy is first imported, so it is set
# here, before any drafter module imports numpy.
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    _os.environ.setdefault(_name, "1")
