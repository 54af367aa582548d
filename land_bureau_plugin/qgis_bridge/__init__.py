"""The only place that knows both worlds: QGIS layers in, plain columns (pandas, shapely) out, and back."""
