"""The game in a browser: ``metallic-rouge serve`` (the optional ``web`` extra).

Each browser tab that opens the page gets a game of its own: a child process
running the Textual app (``play --tui``) behind textual-serve's web driver.
Only this package imports textual-serve and aiohttp, and only when serving.
"""
