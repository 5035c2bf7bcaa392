"""The domain: plain functions that take the objects they work on and only flush."""
