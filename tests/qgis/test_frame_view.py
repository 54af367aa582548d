"""The panels' tables (gui.common.frame_view): columns sized from the first RESIZE_ROWS rows' contents — sizing
from Qt's default thousand rows held the main thread 2.9 s for a 5,000-row live table — and a cell cut by its
column still readable whole as its tooltip."""
import pandas as pd
from qgis.PyQt.QtCore import Qt


def test_columns_are_sized_from_the_first_rows_and_long_cells_show_as_tooltips(qgis_app):
    from land_bureau_plugin.gui.common import RESIZE_ROWS, FrameModel, frame_view

    long_text = "某某市某某区某某街道某某社区第十八号工业地块（整体转让）" * 3
    for position, cut in ((RESIZE_ROWS - 1, False), (RESIZE_ROWS + 1, True)):  # just inside / outside
        names = ["A-1"] * 1000
        names[position] = long_text
        model = FrameModel(pd.DataFrame({"name": names, "far": [1.5] * 1000}))
        view, proxy = frame_view(model)
        proxy.sort(-1)  # the model's order: the long name stays at `position`
        view.resizeColumnsToContents()
        wide_enough = view.columnWidth(0) >= view.fontMetrics().horizontalAdvance(long_text)
        assert wide_enough is not cut, position
        assert model.data(model.index(position, 0), Qt.ItemDataRole.ToolTipRole) == long_text
