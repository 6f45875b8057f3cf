"""The decision tool's pure computation (no Django): inputs, people helped, value, Monte Carlo,
portfolio (MILP), sensitivity. Everything here can be tested and benchmarked alone."""
