"""The eval harness: golden leads, metrics, reports and critic calibration (issue 5)."""
