"""The regions indicators: declared here and registered with core (issue 13: the indicator layer)."""
