ALL: tuple[str, ...]
UNSAFE: tuple[str, ...]
