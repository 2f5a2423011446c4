"""The vocabulary, the plain result types, the one path of every change, and who may see
which rating."""
