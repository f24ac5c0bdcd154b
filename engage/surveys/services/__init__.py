"""Survey rules, one module per topic: consultations, responses, tallies, contacts, draws."""
