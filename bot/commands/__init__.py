"""Sub-commands of ``scamcheck``; each module has ``register(subparsers)``."""
