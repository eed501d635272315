"""The subcommands of ``yusuan``, one module each, imported only when called."""
