"""What ships and how: the Pyodide runtime and its trimmed stdlib, the engine's start-up snapshot, precompressed
siblings, the release zip with its server files, and the local server."""
