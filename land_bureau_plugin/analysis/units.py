"""Units the bureau reports in. 1 亩 = 10000/15 m² exactly; 1 ha = 15 亩; floor area in 万m²; money in 万元."""
from __future__ import annotations

M2_PER_MU = 10000.0 / 15.0
M2_PER_WAN_M2 = 10000.0


def m2_to_mu(m2):
    """Square metres to 亩 (works on scalars and numpy/pandas arrays)."""
    return m2 / M2_PER_MU


def mu_to_m2(mu):
    return mu * M2_PER_MU


def m2_to_wan_m2(m2):
    """Square metres to 万m² (10⁴ m²), the unit of floor-area totals in reports."""
    return m2 / M2_PER_WAN_M2
