"""Experiments: A/B statistics (intervals, Bayesian winner, significance) and variant allocation.

Imports only storage/ and scientific libraries: the product's A/B report never reaches evals/.
"""
