"""Saves: JSON slots written atomically, and old saves brought forward to new story versions."""

from game.saves.codec import (
    FORMAT_VERSION,
    Restored,
    SaveError,
    decode,
    describe,
    encode,
    restore,
    to_save,
)
from game.saves.store import AUTOSAVE, SaveStore, SlotInfo, atomic_write, check_slot_name

__all__ = [
    "AUTOSAVE",
    "FORMAT_VERSION",
    "Restored",
    "SaveError",
    "SaveStore",
    "SlotInfo",
    "atomic_write",
    "check_slot_name",
    "decode",
    "describe",
    "encode",
    "restore",
    "to_save",
]
