"""Training: compile, the one engine-neutral fit/evaluate/predict loop, data adapters, epoch iterator."""
