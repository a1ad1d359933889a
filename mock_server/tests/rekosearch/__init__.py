"""Tests of the RekoSearch simulator (mock_server/rekosearch/)."""
