"""Every analysis is a Processing algorithm: panels, the toolbox, the modeler and qgis_process share one code path."""
