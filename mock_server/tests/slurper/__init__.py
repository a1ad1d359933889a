"""The slurper's part of the cross-API simulator tests (`simulator`); its own tests are in mock_server/tests/."""
