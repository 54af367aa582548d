"""What is connected to a QObject, for showing that live mode leaves nothing behind: the number of receivers of each
of its signals (QObject.receivers, which counts the connections made in C++ by QGIS and those made from Python), and
a layer's own settings as a project would save them."""
from qgis.core import QgsReadWriteContext
from qgis.PyQt.QtCore import QCoreApplication, QEvent, QMetaMethod
from qgis.PyQt.QtXml import QDomDocument


def receivers(obj) -> dict[str, int]:
    """{signal name: receivers} for every signal of `obj`'s class and its bases (overloads share a name: counted
    once, on the default one)."""
    meta = obj.metaObject()
    counts = {}
    for index in range(meta.methodCount()):
        method = meta.method(index)
        if method.methodType() == QMetaMethod.MethodType.Signal:
            name = bytes(method.name()).decode()
            try:
                counts[name] = obj.receivers(getattr(obj, name))
            except TypeError:  # an argument PyQt cannot name (QgsApplication.preNotify's bool *)
                continue
    return counts


def all_receivers(objects: dict) -> dict:
    """{(object name, signal name): receivers} over `objects` ({name: QObject})."""
    return {(key, name): count for key, obj in objects.items() for name, count in receivers(obj).items()}


def differences(before: dict, after: dict) -> dict:
    """{(object, signal): (receivers before, after)} where they differ."""
    return {key: (before.get(key), after.get(key)) for key in before.keys() | after.keys()
            if before.get(key) != after.get(key)}


def deferred_deletes() -> None:
    """Run the deleteLater()s posted so far, as the event loop's next turn does. PyQt connects a proxy object to
    the layer's `destroyed` for every Python slot connected to one of its signals and deletes it later when the
    slot is disconnected: until then the layer's `destroyed` counts it."""
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def layer_settings(layer) -> str:
    """The layer as a project saves it: renderer, labels, form configuration (editFormConfig), custom properties,
    field aliases and constraints, actions … — but for its extents: QGIS ≥ 3.40 writes a wgs84extent once it has
    been worked out (drawing, a feature request), which no setting of the layer changes."""
    import re

    document = QDomDocument()
    element = document.createElement("maplayer")
    document.appendChild(element)
    layer.writeLayerXml(element, document, QgsReadWriteContext())
    return re.sub(r"\s*<(wgs84)?extent>.*?</(wgs84)?extent>|\s*<(wgs84)?extent/>", "", document.toString(),
                  flags=re.S)
