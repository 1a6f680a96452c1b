"""Figures compiled across sections and quarters: aggregates, series, the tracker."""
