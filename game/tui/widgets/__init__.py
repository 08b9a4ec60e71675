"""The game's widgets: narrative, choices, meters, side panel."""
