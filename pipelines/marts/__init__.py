"""The marts and what is published from them: building them, the data dictionary, exports, the monthly report."""
