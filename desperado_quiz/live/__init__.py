"""The live game: a host serves a quiz night over WebSocket, players join from a
terminal (``join``) or a phone's browser. Imported only by ``host`` and ``join``, so
that ``play`` never loads the network libraries."""
