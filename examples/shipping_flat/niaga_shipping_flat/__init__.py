"""A courier with one flat price per started kilogram."""
