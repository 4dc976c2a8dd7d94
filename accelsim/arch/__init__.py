"""Hardware: validated accelerator specs, energy tables and the area model."""
