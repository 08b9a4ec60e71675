"""The game as a view-agnostic controller.

- ``game.play.game``: ``Game``, which owns the Session, the saves, the autosave policy,
  the endings gallery, ``--watch`` reloads and the messages the player must be told;
- ``game.play.outcome``: the ``Outcome`` each command returns for a view to render;
- ``game.play.autosave``, ``game.play.gallery``, ``game.play.watch``: the parts it is made of.

Nothing here imports a view (a test checks). This file imports nothing, so that a
view can read one part (the TUI reads the gallery's JSON helpers at start-up)
without loading the loader that ``Game`` brings in.
"""
