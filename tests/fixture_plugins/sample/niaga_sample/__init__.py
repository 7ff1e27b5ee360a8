"""A sample third-party plugin: notes, and a counter of confirmed sales orders."""
