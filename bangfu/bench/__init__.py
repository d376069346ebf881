"""The benchmarks of docs/performance.md (`bangfu bench NAME`). Product code never imports this package."""
