"""The monthly report: one self-contained HTML file, Bahasa Indonesia with an English twin."""
