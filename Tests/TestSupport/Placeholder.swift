// TestSupport: helpers linked only by tests.
