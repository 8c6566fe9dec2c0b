"""Engines that turn the loaded patents into period networks and their measures."""
