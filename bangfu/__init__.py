"""bangfu (帮扶): a platform for paired assistance and relapse monitoring."""
