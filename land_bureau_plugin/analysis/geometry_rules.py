"""The profile section `geometry`: how input geometries are prepared before any analysis measures them.

Why a profile value: GEOS (shapely) knows no curves, so CurvePolygon / CompoundCurve / MultiSurface input (CAD
exports, some GeoPackages) is linearised when it is read — "GEOSException: Unknown WKB type 10" otherwise. The
tolerance is the largest distance, in metres, between the curve and its straight segments: 0.01 m changes the area
of a 100 m-radius circular plot by less than 0.02 ‰, far below what a survey measures.
"""
from __future__ import annotations

from dataclasses import dataclass

from .messages import QT_TRANSLATE_NOOP, Message

MAX_CURVE_TOLERANCE_M = 10.0  # beyond this a curve's segments would cut visibly into a plot


@dataclass(frozen=True)
class GeometryRules:
    """The profile section `geometry`."""

    curve_tolerance_m: float = 0.01

    def validate(self):
        if not 0 < self.curve_tolerance_m <= MAX_CURVE_TOLERANCE_M:
            yield "curve_tolerance_m", Message(QT_TRANSLATE_NOOP(
                "profile", "must be above 0 and at most {max} m"), max=MAX_CURVE_TOLERANCE_M)


DEFAULT_RULES = GeometryRules()
