"""The bundled sample sites and the server that shows them on 127.0.0.1 (`aoud-tracker demo`)."""
