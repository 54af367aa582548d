"""Pure analysis core: pandas, numpy and shapely only — no Qt, no qgis.

Everything here works on plain columns (a pandas DataFrame of canonical fields) and, where geometry matters,
on shapely 2 geometry arrays. The Processing algorithms turn layers into these columns and write results back,
so this package is tested in milliseconds with plain pytest.
"""
