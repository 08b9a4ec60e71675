"""The game's own theme: crimson on near-black, for Rouge's armour."""

from __future__ import annotations

from textual.theme import Theme

METALLIC_ROUGE = Theme(
    name="metallic-rouge",
    primary="#C41E3A",  # crimson
    secondary="#8C1C2E",
    accent="#E0B04A",  # the gold of an Id
    warning="#E8A33D",
    error="#FF5468",
    success="#5DBB8A",
    foreground="#F1E4E6",
    background="#120A0C",
    surface="#1C1114",
    panel="#2B171C",
    dark=True,
    variables={
        "footer-key-foreground": "#E0B04A",
        "block-cursor-background": "#C41E3A",
        "input-selection-background": "#C41E3A 40%",
    },
)
